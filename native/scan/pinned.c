/*
 * Descriptor-relative filesystem calls for the retention executor (Node-API, synchronous).
 *
 * Node's fs resolves every path again from "/" (or the cwd), so "check a path, then act on it" is
 * a race against anyone who can rename inside the tree. These calls act relative to a directory
 * descriptor the caller pinned, and never resolve a symlink:
 *
 *   openBeneath(dirfd, rel, flags, mode) -> fd >= 0, or -errno
 *       openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS):
 *       `rel` (one or more components) is resolved inside `dirfd` only, through no symlink (not
 *       even the last one: ELOOP, except that O_PATH|O_NOFOLLOW returns the link itself), and
 *       never onto another filesystem (EXDEV). Kernels before 5.6 (ENOSYS) get the same contract
 *       component by component: openat(O_NOFOLLOW | O_DIRECTORY) per parent, fstat, st_dev check.
 *   statAt(dirfd, name, out: Float64Array(10)) -> 0 or errno
 *       fstatat(AT_SYMLINK_NOFOLLOW): out = [dev, ino, mode, nlink, uid, gid, size, mtimeMs,
 *       ctimeMs, blocks]. A Float64Array: the hot delete path allocates nothing.
 *   fstatFd(fd, out) -> 0 or errno (the same layout, for an open descriptor)
 *   unlinkAt(dirfd, name) -> 0 or errno      (unlinkat: removes the name in that directory only)
 *   linkAt(dirfd, from, to) -> 0 or errno    (linkat within one directory; EEXIST never clobbers)
 *   renameAt(dirfd, from, to) -> 0 or errno  (renameat within one directory)
 *   mkdirAt(dirfd, name, mode) -> 0 or errno (mkdirat: never follows a symlink at `name`)
 *   lockFd(fd) -> 0 or errno                 (flock(LOCK_EX | LOCK_NB); EWOULDBLOCK when held)
 *
 * Errors are returned, never thrown: the caller maps errno numbers to messages.
 */
#define _GNU_SOURCE
#define NAPI_VERSION 8
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef RESOLVE_NO_XDEV
#define RESOLVE_NO_XDEV 0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_NO_SYMLINKS 0x04
#define RESOLVE_BENEATH 0x08
#endif

struct steward_open_how {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};

static int openat2_works = 1; /* cleared once the kernel says ENOSYS */

/* Component-by-component fallback with the same contract as openat2 with the resolve flags above. */
static int open_walk(int dirfd, char *rel, int flags, mode_t mode) {
  struct stat st;
  if (fstat(dirfd, &st) != 0) return -errno;
  dev_t dev = st.st_dev;
  int cur = dirfd;
  char *seg = rel;
  for (;;) {
    char *slash = strchr(seg, '/');
    if (slash == NULL) break;
    *slash = 0;
    if (seg[0] == 0 || strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0) {
      if (cur != dirfd) close(cur);
      return -EXDEV; /* never produced by Steward's own paths; refused like RESOLVE_BENEATH */
    }
    int next = openat(cur, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    *slash = '/';
    if (cur != dirfd) close(cur);
    if (next < 0) return -e;
    if (fstat(next, &st) != 0 || st.st_dev != dev) {
      close(next);
      return -EXDEV;
    }
    cur = next;
    seg = slash + 1;
  }
  if (seg[0] == 0 || strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0) {
    if (cur != dirfd) close(cur);
    return -EXDEV;
  }
  int fd = openat(cur, seg, flags | O_NOFOLLOW | O_CLOEXEC, mode);
  int e = errno;
  if (cur != dirfd) close(cur);
  if (fd < 0) return -e;
  if ((flags & O_CREAT) == 0 && fstat(fd, &st) == 0 && st.st_dev != dev) {
    close(fd);
    return -EXDEV;
  }
  return fd;
}

static int open_beneath(int dirfd, char *rel, int flags, mode_t mode) {
  if (openat2_works) {
    struct steward_open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC);
    how.mode = (flags & O_CREAT) ? (uint64_t)mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS;
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (fd >= 0) return (int)fd;
    if (errno != ENOSYS && errno != E2BIG && errno != EPERM) return -errno;
    /* EPERM: some seccomp filters refuse unknown syscalls that way; ENOSYS: kernel < 5.6. */
    if (errno == ENOSYS) openat2_works = 0;
  }
  return open_walk(dirfd, rel, flags, mode);
}

static void fill_stat(const struct stat *st, double *out) {
  out[0] = (double)st->st_dev;
  out[1] = (double)st->st_ino;
  out[2] = (double)st->st_mode;
  out[3] = (double)st->st_nlink;
  out[4] = (double)st->st_uid;
  out[5] = (double)st->st_gid;
  out[6] = (double)st->st_size;
  out[7] = (double)st->st_mtim.tv_sec * 1000.0 + (double)st->st_mtim.tv_nsec / 1e6;
  out[8] = (double)st->st_ctim.tv_sec * 1000.0 + (double)st->st_ctim.tv_nsec / 1e6;
  out[9] = (double)st->st_blocks;
}

/* Argument helpers: an int, a string into a caller buffer (NUL-free, < PATH_MAX), a Float64Array(>= 10). */
static int arg_int(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok;
}

static int arg_str(napi_env env, napi_value v, char *buf) {
  size_t len;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok || len == 0 || len >= PATH_MAX) return 0;
  napi_get_value_string_utf8(env, v, buf, len + 1, &len);
  return strlen(buf) == len; /* an embedded NUL would silently shorten the name */
}

static double *arg_stat(napi_env env, napi_value v) {
  napi_typedarray_type t;
  size_t n;
  void *data;
  if (napi_get_typedarray_info(env, v, &t, &n, &data, NULL, NULL) != napi_ok || t != napi_float64_array || n < 10) return NULL;
  return data;
}

static napi_value ret_int(napi_env env, int r) {
  napi_value v;
  napi_create_int32(env, r, &v);
  return v;
}

static napi_value bad_args(napi_env env, const char *sig) {
  napi_throw_type_error(env, NULL, sig);
  return NULL;
}

static napi_value js_open_beneath(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t dirfd, flags, mode;
  char rel[PATH_MAX];
  if (argc < 4 || !arg_int(env, argv[0], &dirfd) || !arg_str(env, argv[1], rel) || !arg_int(env, argv[2], &flags) || !arg_int(env, argv[3], &mode))
    return bad_args(env, "openBeneath(dirfd: number, rel: string, flags: number, mode: number)");
  if (rel[0] == '/') return ret_int(env, -EXDEV);
  return ret_int(env, open_beneath(dirfd, rel, flags, (mode_t)mode));
}

static napi_value js_stat_at(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t dirfd;
  char name[PATH_MAX];
  double *out;
  if (argc < 3 || !arg_int(env, argv[0], &dirfd) || !arg_str(env, argv[1], name) || (out = arg_stat(env, argv[2])) == NULL)
    return bad_args(env, "statAt(dirfd: number, name: string, out: Float64Array)");
  if (strchr(name, '/')) return ret_int(env, EINVAL);
  struct stat st;
  if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) return ret_int(env, errno);
  fill_stat(&st, out);
  return ret_int(env, 0);
}

static napi_value js_fstat(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  double *out;
  if (argc < 2 || !arg_int(env, argv[0], &fd) || (out = arg_stat(env, argv[1])) == NULL) return bad_args(env, "fstatFd(fd: number, out: Float64Array)");
  struct stat st;
  if (fstat(fd, &st) != 0) return ret_int(env, errno);
  fill_stat(&st, out);
  return ret_int(env, 0);
}

static napi_value js_unlink_at(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t dirfd;
  char name[PATH_MAX];
  if (argc < 2 || !arg_int(env, argv[0], &dirfd) || !arg_str(env, argv[1], name)) return bad_args(env, "unlinkAt(dirfd: number, name: string)");
  if (strchr(name, '/')) return ret_int(env, EINVAL);
  return ret_int(env, unlinkat(dirfd, name, 0) == 0 ? 0 : errno);
}

static napi_value two_names(napi_env env, napi_callback_info info, int rename) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t dirfd;
  char from[PATH_MAX], to[PATH_MAX];
  if (argc < 3 || !arg_int(env, argv[0], &dirfd) || !arg_str(env, argv[1], from) || !arg_str(env, argv[2], to)) return bad_args(env, "(dirfd: number, from: string, to: string)");
  if (strchr(from, '/') || strchr(to, '/')) return ret_int(env, EINVAL);
  int r = rename ? renameat(dirfd, from, dirfd, to) : linkat(dirfd, from, dirfd, to, 0);
  return ret_int(env, r == 0 ? 0 : errno);
}

static napi_value js_link_at(napi_env env, napi_callback_info info) {
  return two_names(env, info, 0);
}

static napi_value js_rename_at(napi_env env, napi_callback_info info) {
  return two_names(env, info, 1);
}

static napi_value js_mkdir_at(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t dirfd, mode;
  char name[PATH_MAX];
  if (argc < 3 || !arg_int(env, argv[0], &dirfd) || !arg_str(env, argv[1], name) || !arg_int(env, argv[2], &mode)) return bad_args(env, "mkdirAt(dirfd: number, name: string, mode: number)");
  if (strchr(name, '/')) return ret_int(env, EINVAL);
  return ret_int(env, mkdirat(dirfd, name, (mode_t)mode) == 0 ? 0 : errno);
}

static napi_value js_lock_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd;
  if (argc < 1 || !arg_int(env, argv[0], &fd)) return bad_args(env, "lockFd(fd: number)");
  return ret_int(env, flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno);
}

napi_value pinned_init(napi_env env, napi_value exports) {
  struct {
    const char *name;
    napi_callback cb;
  } fns[] = {
      {"openBeneath", js_open_beneath}, {"statAt", js_stat_at}, {"fstatFd", js_fstat}, {"unlinkAt", js_unlink_at},
      {"linkAt", js_link_at},           {"renameAt", js_rename_at}, {"mkdirAt", js_mkdir_at}, {"lockFd", js_lock_fd},
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value fn;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].cb, NULL, &fn);
    napi_set_named_property(env, exports, fns[i].name, fn);
  }
  return exports;
}
