{{ define "c184" }}{{ base "foo/bar/baz" }}{{ end }}
{{ define "c185" }}{{ dir "foo/bar/baz" }}{{ end }}
{{ define "c186" }}{{ clean "foo/bar/../baz" }}{{ end }}
{{ define "c187" }}{{ ext "foo.bar" }}{{ end }}
{{ define "c188" }}{{ isAbs "/foo" }}{{ end }}
{{ define "c189" }}{{ osBase "/a/b.txt" }}{{ end }}
{{ define "c190" }}{{ (urlParse "https://u:p@example.com:8080/a%20b?x=1#f").hostname }}{{ end }}
{{ define "c191" }}{{ (urlParse "https://u:p@example.com:8080/a%20b?x=1#f").path }}{{ end }}
{{ define "c192" }}{{ (urlParse "https://u:p@example.com:8080/a%20b?x=1#f").userinfo }}{{ end }}
{{ define "c193" }}{{ urlJoin (dict "scheme" "https" "host" "h:1" "path" "a b" "query" "q=1") }}{{ end }}
