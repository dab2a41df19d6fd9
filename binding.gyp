{
  "targets": [
    {
      "target_name": "tierdown_reap",
      "sources": ["native/reap.c"]
    }
  ]
}
