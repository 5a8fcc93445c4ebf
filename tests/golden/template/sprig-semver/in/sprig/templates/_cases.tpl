{{ define "c202" }}{{ (semver "v1.2.3-beta.1+build").Major }}{{ end }}
{{ define "c203" }}{{ (semver "v1.2.3-beta.1+build").Prerelease }}{{ end }}
{{ define "c204" }}{{ (semver "v1.2.3-beta.1+build").Metadata }}{{ end }}
{{ define "c205" }}{{ (semver "v1.2.3-beta.1+build").Original }}{{ end }}
{{ define "c206" }}{{ semver "1.2" }}{{ end }}
{{ define "c207" }}{{ (semver "1.2.3").Compare (semver "1.3.0") }}{{ end }}
{{ define "c208" }}{{ semverCompare ">=1.19-0" "1.20.0-gke.100" }}{{ end }}
{{ define "c209" }}{{ semverCompare ">=1.19" "1.20.0-gke.100" }}{{ end }}
{{ define "c210" }}{{ semverCompare ">=1.19" "v1.21.3" }}{{ end }}
{{ define "c211" }}{{ semverCompare "^1.2.3" "1.9.0" }}{{ end }}
{{ define "c212" }}{{ semverCompare "^1.2.3" "2.0.0" }}{{ end }}
{{ define "c213" }}{{ semverCompare "~1.2.3" "1.2.9" }}{{ end }}
{{ define "c214" }}{{ semverCompare "~1.2.3" "1.3.0" }}{{ end }}
{{ define "c215" }}{{ semverCompare "1.2.x" "1.2.7" }}{{ end }}
{{ define "c216" }}{{ semverCompare "<1.0 || >=2.1" "2.1.0" }}{{ end }}
{{ define "c217" }}{{ semverCompare "1.1 - 1.3" "1.3.0" }}{{ end }}
{{ define "c218" }}{{ semverCompare ">1.2, <1.4" "1.4.0" }}{{ end }}
{{ define "c219" }}{{ semverCompare "*" "9.9.9" }}{{ end }}
