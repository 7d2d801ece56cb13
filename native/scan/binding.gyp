{
  "targets": [
    {
      "target_name": "steward_scan",
      "sources": ["scan.c", "pinned.c"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
