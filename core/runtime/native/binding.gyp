{
  "targets": [
    {
      "target_name": "proc_connector",
      "sources": ["src/proc_connector.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
