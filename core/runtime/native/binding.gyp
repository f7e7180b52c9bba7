{
  "variables": {
    "have_libbpf%": "<!(sh bpf/have-loader.sh)"
  },
  "targets": [
    {
      "target_name": "proc_connector",
      "sources": ["src/proc_connector.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ],
  "conditions": [
    [
      "have_libbpf==1",
      {
        "targets": [
          {
            "target_name": "ebpf_sensor",
            "sources": ["src/ebpf_sensor.c"],
            "cflags": ["-O2", "-Wall", "-Wextra", "<!@(sh bpf/libbpf-flags.sh cflags)"],
            "defines": ["NAPI_VERSION=8"],
            "libraries": ["<!@(sh bpf/libbpf-flags.sh libs)"]
          }
        ]
      }
    ]
  ]
}
