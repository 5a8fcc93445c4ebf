{{ define "c059" }}{{ list 1 "a" nil }}{{ end }}
{{ define "c060" }}{{ tuple 1 2 }}{{ end }}
{{ define "c061" }}{{ append (list 1 2) 3 }}{{ end }}
{{ define "c062" }}{{ push (list 1 2) 3 }}{{ end }}
{{ define "c063" }}{{ prepend (list 1 2) 0 }}{{ end }}
{{ define "c064" }}{{ first (list 1 2 3) }}{{ end }}
{{ define "c065" }}{{ last (list 1 2 3) }}{{ end }}
{{ define "c066" }}{{ rest (list 1 2 3) }}{{ end }}
{{ define "c067" }}{{ initial (list 1 2 3) }}{{ end }}
{{ define "c068" }}{{ rest (list) }}{{ end }}
{{ define "c069" }}{{ reverse (list 1 2 3) }}{{ end }}
{{ define "c070" }}{{ uniq (list 1 1 2 "a" "a") }}{{ end }}
{{ define "c071" }}{{ without (list 1 2 3 2) 2 }}{{ end }}
{{ define "c072" }}{{ has 2 (list 1 2 3) }}{{ end }}
{{ define "c073" }}{{ has "2" (list 1 2 3) }}{{ end }}
{{ define "c074" }}{{ has 1 nil }}{{ end }}
{{ define "c075" }}{{ compact (list 1 "" 0 nil false "a") }}{{ end }}
{{ define "c076" }}{{ slice (list 1 2 3 4) 1 3 }}{{ end }}
{{ define "c077" }}{{ slice (list 1 2 3 4) 2 }}{{ end }}
{{ define "c078" }}{{ concat (list 1) (list 2 3) }}{{ end }}
{{ define "c079" }}{{ chunk 2 (list 1 2 3) }}{{ end }}
{{ define "c080" }}{{ until 3 }}{{ end }}
{{ define "c081" }}{{ until -2 }}{{ end }}
{{ define "c082" }}{{ untilStep 0 10 3 }}{{ end }}
{{ define "c083" }}{{ untilStep 5 1 -2 }}{{ end }}
{{ define "c084" }}{{ seq 3 }}{{ end }}
{{ define "c085" }}{{ seq 0 }}{{ end }}
{{ define "c086" }}{{ seq 2 4 }}{{ end }}
{{ define "c087" }}{{ seq 0 2 5 }}{{ end }}
{{ define "c088" }}{{ seq 5 -2 1 }}{{ end }}
{{ define "c089" }}{{ typeOf (until 2) }}{{ end }}
