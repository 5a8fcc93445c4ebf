{{ define "c220" }}{{ date "2006-01-02T15:04:05Z07:00" 10 }}{{ end }}
{{ define "c221" }}{{ dateInZone "2006-01-02 15:04 MST" 0 "Europe/Helsinki" }}{{ end }}
{{ define "c222" }}{{ htmlDateInZone 86400 "UTC" }}{{ end }}
{{ define "c223" }}{{ toDate "2006-01-02" "2017-12-31" | date "02/01/2006" }}{{ end }}
{{ define "c224" }}{{ toDate "2006-01-02" "bad" }}{{ end }}
{{ define "c225" }}{{ unixEpoch (toDate "2006-01-02" "2017-12-31") }}{{ end }}
{{ define "c226" }}{{ (toDate "2006-01-02" "2017-12-31" | dateModify "1h30m") | date "15:04" }}{{ end }}
{{ define "c227" }}{{ duration "95" }}{{ end }}
{{ define "c228" }}{{ duration 95 }}{{ end }}
{{ define "c229" }}{{ durationRound "2h10m" }}{{ end }}
{{ define "c230" }}{{ durationRound "2200h" }}{{ end }}
