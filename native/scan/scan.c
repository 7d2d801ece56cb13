/*
 * steward_scan: the retention scanner's walk, in C (Node-API, off the main thread).
 *
 * Why native: a Node walker pays ~2 µs per file for lstatSync (an absolute path resolved from /
 * on every call, plus a Stats object), more than `find` spends per file in all. Here each entry
 * costs one fstatat() relative to its directory's descriptor and a few bytes of output.
 *
 * Contract (the same as the JavaScript walker in scan.ts, which stays as the fallback):
 * - Never follows a symlink: entries are lstat'ed (AT_SYMLINK_NOFOLLOW) and directories are opened
 *   with O_NOFOLLOW | O_DIRECTORY relative to their parent's descriptor, then fstat'ed and compared
 *   (st_dev, st_ino) with what was listed, so a directory swapped during the scan is reported as
 *   "replaced" and not read. No path is ever resolved from the filesystem root after the start.
 * - Stays on the root's filesystem (a directory with another st_dev is reported, not listed).
 * - Vanished entries (ENOENT) are dropped silently; other errors are reported per path and the
 *   walk goes on. Names that are not valid UTF-8 are reported and skipped.
 * - Output is in path order: UTF-8 byte order of the full relative path, which is what a walk gives
 *   when each directory's children are sorted with a directory name compared as "name/".
 *   (Byte order equals code-point order; it differs from JavaScript's UTF-16 order only for
 *   characters above U+FFFF against U+E000..U+FFFF, and the planner re-checks the order anyway.)
 *
 * JavaScript API: scan(root: string, rootDev: number, rootIno: number, cancel: Int32Array)
 *   → Promise<{ status, errno, paths: string[], size: Float64Array, mtime: Float64Array,
 *               type: Uint8Array, ino: Float64Array, ctime: Float64Array, errors: string[],
 *               fileCount, rootBytes }>
 *   paths and errors are chunks of NUL-separated strings (errors alternate path, code);
 *   type: 0 file, 1 dir, 2 symlink, 3 other. Setting cancel[0] to 1 stops the walk
 *   at the next directory (status "aborted").
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_BYTES (32u << 20) /* split path output into strings of at most ~32 MB */

typedef struct {
  char *data;
  size_t len, cap;
  int oom;
} buf_t;

static void buf_reserve(buf_t *b, size_t extra) {
  if (b->oom || b->len + extra <= b->cap) return;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) {
    b->oom = 1;
    return;
  }
  b->data = p;
  b->cap = cap;
}

static void buf_put(buf_t *b, const void *src, size_t n) {
  buf_reserve(b, n);
  if (b->oom) return;
  memcpy(b->data + b->len, src, n);
  b->len += n;
}

typedef struct {
  uint32_t name; /* offset into the frame's name arena */
  uint32_t namelen;
  uint8_t type;
  uint64_t ino;
  double size, mtime, ctime;
} child_t;

typedef struct {
  int fd;
  char *names;
  child_t *kids;
  size_t n, i;
  size_t prefixlen; /* length of the relative path prefix ("a/b/") of this directory's children */
} frame_t;

typedef struct {
  /* input */
  char *root;
  double dev, ino; /* as JavaScript saw them (numbers): compared as doubles */
  int32_t *cancel;
  napi_ref cancel_ref;
  /* output */
  buf_t paths;        /* NUL-terminated paths */
  size_t *chunk_ends; /* offsets in paths where a chunk ends */
  size_t nchunks, chunk_cap;
  buf_t size, mtime, type; /* doubles, doubles, bytes */
  buf_t inos, ctimes;      /* doubles: identity the executor compares before acting */
  buf_t errors;            /* "path\0code\0" pairs */
  double file_count, root_bytes;
  const char *status; /* "ok" | "aborted" | "root" (errno set) | "oom" */
  int err;
  napi_deferred deferred;
  napi_async_work work;
} job_t;

/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF), as Node would decode it. */
static int valid_utf8(const unsigned char *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t k;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) k = 1, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) k = 2, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) k = 3, cp = c & 0x07;
    else return 0;
    for (size_t j = 1; j <= k; j++) {
      if (i + j >= n || (s[i + j] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if ((k == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
    i += k + 1;
  }
  return 1;
}

static const char *errno_code(int e) {
  switch (e) {
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case EIO: return "EIO";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case ENOMEM: return "ENOMEM";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EOVERFLOW: return "EOVERFLOW";
    default: return "EUNKNOWN";
  }
}

/* The current path buffer holds the relative path; `len` bytes of it are the entry's path. */
static void report(job_t *j, const char *path, size_t len, const char *code) {
  buf_put(&j->errors, path, len);
  buf_put(&j->errors, "", 1);
  buf_put(&j->errors, code, strlen(code) + 1);
}

static void emit(job_t *j, const char *path, size_t len, const child_t *c) {
  buf_put(&j->paths, path, len);
  buf_put(&j->paths, "", 1);
  buf_put(&j->size, &c->size, sizeof(double));
  buf_put(&j->mtime, &c->mtime, sizeof(double));
  buf_put(&j->type, &c->type, 1);
  double ino = (double)c->ino;
  buf_put(&j->inos, &ino, sizeof(double));
  buf_put(&j->ctimes, &c->ctime, sizeof(double));
  if (c->type == 0) {
    j->file_count += 1;
    j->root_bytes += c->size;
  }
  size_t start = j->nchunks ? j->chunk_ends[j->nchunks - 1] : 0;
  if (j->paths.len - start >= CHUNK_BYTES) {
    if (j->nchunks == j->chunk_cap) {
      size_t cap = j->chunk_cap ? j->chunk_cap * 2 : 16;
      size_t *p = realloc(j->chunk_ends, cap * sizeof(size_t));
      if (!p) {
        j->paths.oom = 1;
        return;
      }
      j->chunk_ends = p;
      j->chunk_cap = cap;
    }
    j->chunk_ends[j->nchunks++] = j->paths.len;
  }
}

/* Children of one directory in path order: a directory's name compares as "name/". qsort has no
 * context argument (qsort_r is not portable), so the name arena is thread-local. */
static __thread const char *sort_names;
static int child_cmp(const void *pa, const void *pb) {
  const child_t *a = pa, *b = pb;
  const unsigned char *x = (const unsigned char *)sort_names + a->name;
  const unsigned char *y = (const unsigned char *)sort_names + b->name;
  size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
  int r = memcmp(x, y, n);
  if (r != 0) return r;
  /* One is a prefix of the other: the next byte is '/' for a directory, end-of-path otherwise. */
  int ca = a->namelen > n ? x[n] : (a->type == 1 ? '/' : -1);
  int cb = b->namelen > n ? y[n] : (b->type == 1 ? '/' : -1);
  return ca - cb;
}

static int cancelled(job_t *j) {
  return __atomic_load_n(j->cancel, __ATOMIC_RELAXED) != 0;
}

/* Lists and lstat's the children of the open directory `fd`; fills f (sorted). 0 or an errno. */
static int read_dir(job_t *j, int fd, frame_t *f, char *path, size_t prefixlen) {
  int dfd = dup(fd);
  if (dfd < 0) return errno;
  DIR *d = fdopendir(dfd);
  if (!d) {
    int e = errno;
    close(dfd);
    return e;
  }
  buf_t names = {0};
  buf_t kids = {0};
  struct dirent *de;
  for (;;) {
    errno = 0; /* readdir returns NULL both at the end and on error; only errno tells them apart */
    de = readdir(d);
    if (de == NULL) break;
    const char *nm = de->d_name;
    if (nm[0] == '.' && (nm[1] == 0 || (nm[1] == '.' && nm[2] == 0))) continue;
    size_t nl = strlen(nm);
    if (prefixlen + nl >= PATH_MAX) {
      report(j, path, prefixlen ? prefixlen - 1 : 0, "ENAMETOOLONG"); /* names the directory */
      continue;
    }
    memcpy(path + prefixlen, nm, nl);
    if (!valid_utf8((const unsigned char *)nm, nl)) {
      report(j, path, prefixlen + nl, "EILSEQ");
      continue;
    }
    struct stat st;
    if (fstatat(fd, nm, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT) report(j, path, prefixlen + nl, errno_code(errno));
      continue;
    }
    child_t c;
    c.name = (uint32_t)names.len;
    c.namelen = (uint32_t)nl;
    c.ino = st.st_ino;
    c.size = (double)st.st_size;
    c.mtime = (double)st.st_mtim.tv_sec * 1000.0 + (double)st.st_mtim.tv_nsec / 1e6;
    c.ctime = (double)st.st_ctim.tv_sec * 1000.0 + (double)st.st_ctim.tv_nsec / 1e6;
    if (S_ISREG(st.st_mode)) c.type = 0;
    else if (S_ISDIR(st.st_mode)) {
      if ((double)st.st_dev != j->dev) {
        report(j, path, prefixlen + nl, "EXDEV");
        continue;
      }
      c.type = 1;
    } else if (S_ISLNK(st.st_mode)) c.type = 2;
    else c.type = 3;
    buf_put(&names, nm, nl);
    buf_put(&kids, &c, sizeof c);
  }
  int e = errno;
  closedir(d);
  if (names.oom || kids.oom) e = ENOMEM;
  if (e != 0) {
    free(names.data);
    free(kids.data);
    return e;
  }
  f->names = names.data;
  f->kids = (child_t *)kids.data;
  f->n = kids.len / sizeof(child_t);
  f->i = 0;
  sort_names = names.data;
  if (f->n > 1) qsort(f->kids, f->n, sizeof(child_t), child_cmp);
  return 0;
}

static void walk(job_t *j) {
  char *path = malloc(PATH_MAX + 2);
  size_t cap = 64, depth = 0;
  frame_t *stack = malloc(cap * sizeof(frame_t));
  if (!path || !stack) {
    j->status = "oom";
    free(path);
    free(stack);
    return;
  }
  int rfd = open(j->root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  struct stat st;
  if (rfd < 0 || fstat(rfd, &st) != 0 || (double)st.st_dev != j->dev || (double)st.st_ino != j->ino) {
    j->status = "root";
    j->err = rfd < 0 ? errno : 0; /* 0: replaced since JavaScript checked it */
    if (rfd >= 0) close(rfd);
    free(path);
    free(stack);
    return;
  }
  frame_t *f = &stack[0];
  memset(f, 0, sizeof *f);
  f->fd = rfd;
  int e = read_dir(j, rfd, f, path, 0);
  if (e != 0) {
    j->status = "root";
    j->err = e;
    close(rfd);
    free(path);
    free(stack);
    return;
  }
  depth = 1;
  j->status = "ok";
  while (depth > 0) {
    f = &stack[depth - 1];
    if (f->i == f->n) {
      close(f->fd);
      free(f->names);
      free(f->kids);
      depth--;
      continue;
    }
    child_t *c = &f->kids[f->i++];
    size_t len = f->prefixlen + c->namelen;
    memcpy(path + f->prefixlen, f->names + c->name, c->namelen);
    emit(j, path, len, c);
    if (c->type != 1) continue;
    if (cancelled(j)) {
      j->status = "aborted";
      break;
    }
    path[len] = 0;
    int fd = openat(f->fd, path + f->prefixlen, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      int oe = errno;
      if (oe == ENOENT) continue;
      report(j, path, len, oe == ENOTDIR || oe == ELOOP ? "REPLACED" : errno_code(oe));
      continue;
    }
    if (fstat(fd, &st) != 0 || (double)st.st_dev != j->dev || st.st_ino != c->ino) {
      report(j, path, len, "REPLACED");
      close(fd);
      continue;
    }
    path[len] = '/';
    if (depth == cap) {
      frame_t *p = realloc(stack, cap * 2 * sizeof(frame_t));
      if (!p) {
        close(fd);
        j->status = "oom";
        break;
      }
      stack = p;
      cap *= 2;
    }
    frame_t *nf = &stack[depth];
    memset(nf, 0, sizeof *nf);
    nf->fd = fd;
    nf->prefixlen = len + 1;
    e = read_dir(j, fd, nf, path, len + 1);
    if (e != 0) {
      report(j, path, len, errno_code(e));
      close(fd);
      continue;
    }
    depth++;
    if (j->paths.oom || j->errors.oom || j->size.oom) {
      j->status = "oom";
      break;
    }
  }
  while (depth > 0) { /* aborted or out of memory: release what is still open */
    f = &stack[--depth];
    close(f->fd);
    free(f->names);
    free(f->kids);
  }
  if (j->paths.oom || j->errors.oom || j->size.oom || j->mtime.oom || j->type.oom || j->inos.oom || j->ctimes.oom) j->status = "oom";
  free(path);
  free(stack);
}

static void execute(napi_env env, void *data) {
  (void)env;
  walk((job_t *)data);
}

static napi_value typed(napi_env env, buf_t *b, napi_typedarray_type t, size_t elem) {
  void *mem;
  napi_value ab, arr;
  napi_create_arraybuffer(env, b->len, &mem, &ab);
  if (b->len) memcpy(mem, b->data, b->len);
  napi_create_typedarray(env, t, b->len / elem, ab, 0, &arr);
  return arr;
}

static napi_value chunks(napi_env env, buf_t *b, const size_t *ends, size_t n) {
  napi_value arr, s;
  napi_create_array(env, &arr);
  size_t start = 0, k = 0;
  for (size_t i = 0; i <= n; i++) {
    size_t end = i < n ? ends[i] : b->len;
    if (end == start) continue;
    /* drop the final NUL so that split("\0") gives exactly the paths */
    napi_create_string_utf8(env, b->data + start, end - start - 1, &s);
    napi_set_element(env, arr, (uint32_t)k++, s);
    start = end;
  }
  return arr;
}

static void job_free(napi_env env, job_t *j) {
  if (j->cancel_ref) napi_delete_reference(env, j->cancel_ref);
  if (j->work) napi_delete_async_work(env, j->work);
  free(j->root);
  free(j->paths.data);
  free(j->chunk_ends);
  free(j->size.data);
  free(j->mtime.data);
  free(j->type.data);
  free(j->inos.data);
  free(j->ctimes.data);
  free(j->errors.data);
  free(j);
}

static void complete(napi_env env, napi_status status, void *data) {
  job_t *j = data;
  napi_value res, v;
  napi_create_object(env, &res);
  napi_create_string_utf8(env, status == napi_ok ? j->status : "aborted", NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, res, "status", v);
  napi_create_string_utf8(env, errno_code(j->err), NAPI_AUTO_LENGTH, &v);
  napi_set_named_property(env, res, "errno", v);
  if (status == napi_ok && strcmp(j->status, "ok") == 0) {
    napi_set_named_property(env, res, "paths", chunks(env, &j->paths, j->chunk_ends, j->nchunks));
    free(j->paths.data);
    j->paths.data = NULL;
    napi_set_named_property(env, res, "size", typed(env, &j->size, napi_float64_array, 8));
    napi_set_named_property(env, res, "mtime", typed(env, &j->mtime, napi_float64_array, 8));
    napi_set_named_property(env, res, "type", typed(env, &j->type, napi_uint8_array, 1));
    napi_set_named_property(env, res, "ino", typed(env, &j->inos, napi_float64_array, 8));
    napi_set_named_property(env, res, "ctime", typed(env, &j->ctimes, napi_float64_array, 8));
    napi_set_named_property(env, res, "errors", chunks(env, &j->errors, NULL, 0));
    napi_create_double(env, j->file_count, &v);
    napi_set_named_property(env, res, "fileCount", v);
    napi_create_double(env, j->root_bytes, &v);
    napi_set_named_property(env, res, "rootBytes", v);
  }
  napi_resolve_deferred(env, j->deferred, res);
  job_free(env, j);
}

static napi_value scan(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], promise, name;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4) {
    napi_throw_type_error(env, NULL, "scan(root, dev, ino, cancel) takes 4 arguments");
    return NULL;
  }
  job_t *j = calloc(1, sizeof *j);
  if (!j) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  size_t len;
  double dev, ino;
  napi_typedarray_type tt;
  size_t tlen;
  void *tdata;
  if (napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok || len == 0 || len >= PATH_MAX ||
      napi_get_value_double(env, argv[1], &dev) != napi_ok || napi_get_value_double(env, argv[2], &ino) != napi_ok ||
      napi_get_typedarray_info(env, argv[3], &tt, &tlen, &tdata, NULL, NULL) != napi_ok || tt != napi_int32_array || tlen < 1) {
    free(j);
    napi_throw_type_error(env, NULL, "scan(root: string, dev: number, ino: number, cancel: Int32Array)");
    return NULL;
  }
  j->root = malloc(len + 1);
  napi_get_value_string_utf8(env, argv[0], j->root, len + 1, &len);
  j->dev = dev;
  j->ino = ino;
  j->cancel = tdata;
  napi_create_reference(env, argv[3], 1, &j->cancel_ref); /* keeps the flag's memory alive */
  napi_create_promise(env, &j->deferred, &promise);
  napi_create_string_utf8(env, "steward_scan", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, execute, complete, j, &j->work);
  napi_queue_async_work(env, j->work);
  return promise;
}

napi_value pinned_init(napi_env env, napi_value exports); /* pinned.c */

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "scan", NAPI_AUTO_LENGTH, scan, NULL, &fn);
  napi_set_named_property(env, exports, "scan", fn);
  return pinned_init(env, exports);
}
