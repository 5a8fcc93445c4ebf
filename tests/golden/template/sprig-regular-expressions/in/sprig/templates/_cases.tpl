{{ define "c171" }}{{ regexMatch "^[a-z]+\\d$" "abc1" }}{{ end }}
{{ define "c172" }}{{ regexMatch "^a$" "a\n" }}{{ end }}
{{ define "c173" }}{{ regexFindAll "[2,4,6,8]" "123456789" -1 }}{{ end }}
{{ define "c174" }}{{ regexFindAll "[2,4,6,8]" "123456789" 2 }}{{ end }}
{{ define "c175" }}{{ regexFindAll "a*" "baaab" -1 | len }}{{ end }}
{{ define "c176" }}{{ regexFind "[a-zA-Z][1-9]" "abcd1234" }}{{ end }}
{{ define "c177" }}{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}{{ end }}
{{ define "c178" }}{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}{{ end }}
{{ define "c179" }}{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}{{ end }}
{{ define "c180" }}{{ regexReplaceAll "a*" "baab" "X" }}{{ end }}
{{ define "c181" }}{{ regexSplit "z+" "pizza" -1 }}{{ end }}
{{ define "c182" }}{{ regexSplit "z+" "pizza" 1 }}{{ end }}
{{ define "c183" }}{{ regexQuoteMeta "1.2.3" }}{{ end }}
