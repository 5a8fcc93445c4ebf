{{ define "c194" }}{{ b64enc "hello" }}{{ end }}
{{ define "c195" }}{{ b64dec "aGVsbG8=" }}{{ end }}
{{ define "c196" }}{{ b64dec "aGVsbG8" }}{{ end }}
{{ define "c197" }}{{ b32enc "hello" }}{{ end }}
{{ define "c198" }}{{ b32dec "NBSWY3DP" }}{{ end }}
{{ define "c199" }}{{ sha1sum "hello" }}{{ end }}
{{ define "c200" }}{{ sha256sum "hello" }}{{ end }}
{{ define "c201" }}{{ adler32sum "abc" }}{{ end }}
