{{ define "c144" }}{{ default "d" "" }}{{ end }}
{{ define "c145" }}{{ default "d" "x" }}{{ end }}
{{ define "c146" }}{{ default "d" 0 }}{{ end }}
{{ define "c147" }}{{ default "d" false }}{{ end }}
{{ define "c148" }}{{ default "d" (list) }}{{ end }}
{{ define "c149" }}{{ empty (dict) }}{{ end }}
{{ define "c150" }}{{ empty 0.1 }}{{ end }}
{{ define "c151" }}{{ coalesce nil "" "x" }}{{ end }}
{{ define "c152" }}{{ all 1 "a" }}{{ end }}
{{ define "c153" }}{{ all 1 "" }}{{ end }}
{{ define "c154" }}{{ any 0 "a" }}{{ end }}
{{ define "c155" }}{{ ternary "yes" "no" true }}{{ end }}
{{ define "c156" }}{{ ternary "yes" "no" false }}{{ end }}
{{ define "c157" }}{{ typeOf 1 }}{{ end }}
{{ define "c158" }}{{ typeOf 1.5 }}{{ end }}
{{ define "c159" }}{{ typeOf (list) }}{{ end }}
{{ define "c160" }}{{ typeOf (dict) }}{{ end }}
{{ define "c161" }}{{ typeIs "string" "a" }}{{ end }}
{{ define "c162" }}{{ typeIsLike "semver.Version" (semver "1.2.3") }}{{ end }}
{{ define "c163" }}{{ kindOf (list) }}{{ end }}
{{ define "c164" }}{{ kindOf nil }}{{ end }}
{{ define "c165" }}{{ kindIs "map" (dict) }}{{ end }}
{{ define "c166" }}{{ deepEqual (list 1) (list 1) }}{{ end }}
{{ define "c167" }}{{ toPrettyJson (dict "a" 1 "b" (list "<x>")) }}{{ end }}
{{ define "c168" }}{{ toRawJson (dict "a" "<x>") }}{{ end }}
{{ define "c169" }}{{ mustToJson (dict "a" "<x>") }}{{ end }}
{{ define "c170" }}{{ (mustFromJson "{\"a\": [1, 2]}").a }}{{ end }}
