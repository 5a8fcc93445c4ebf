{{ define "c090" }}{{ dict "b" 2 "a" 1 }}{{ end }}
{{ define "c091" }}{{ dict "a" }}{{ end }}
{{ define "c092" }}{{ get (dict "a" 1) "a" }}{{ end }}
{{ define "c093" }}{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d }}{{ end }}
{{ define "c094" }}{{ $d := dict "a" 1 "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}{{ end }}
{{ define "c095" }}{{ hasKey (dict "a" 1) "a" }}{{ end }}
{{ define "c096" }}{{ unset nil "a" }}{{ end }}
{{ define "c097" }}{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}{{ end }}
{{ define "c098" }}{{ keys (dict "b" 1 "a" 2) | sortAlpha }}{{ end }}
{{ define "c099" }}{{ values (dict "a" 1) }}{{ end }}
{{ define "c100" }}{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z" }}{{ end }}
{{ define "c101" }}{{ omit (dict "a" 1 "b" 2) "a" }}{{ end }}
{{ define "c102" }}{{ dig "a" "b" "def" (dict "a" (dict "b" "x")) }}{{ end }}
{{ define "c103" }}{{ dig "a" "z" "def" (dict "a" (dict "b" "x")) }}{{ end }}
{{ define "c104" }}{{ merge (dict "a" 1 "b" "" "f" false) (dict "a" 2 "b" "B" "c" 3 "f" true) }}{{ end }}
{{ define "c105" }}{{ merge (dict "n" (dict "x" 1)) (dict "n" (dict "x" 2 "y" 2)) }}{{ end }}
{{ define "c106" }}{{ mergeOverwrite (dict "a" 1 "l" (list 1 2)) (dict "a" 0 "l" (list 9)) }}{{ end }}
{{ define "c107" }}{{ mergeOverwrite (dict "n" (dict "x" 1 "y" 1)) (dict "n" (dict "x" 2)) }}{{ end }}
{{ define "c108" }}{{ merge (dict "a" 1) (dict "a" nil "z" nil) }}{{ end }}
{{ define "c109" }}{{ $o := dict "l" (list 1) }}{{ $c := deepCopy $o }}{{ $_ := set $c "l" 2 }}{{ $o }}{{ end }}
