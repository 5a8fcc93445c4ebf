{{ define "o.x" }}x{{ end }}
kind: NotRendered
