{{ define "c110" }}{{ add 1 2 3 }}{{ end }}
{{ define "c111" }}{{ add 1 "2" 3.9 }}{{ end }}
{{ define "c112" }}{{ typeOf (add 1 2) }}{{ end }}
{{ define "c113" }}{{ add1 5 }}{{ end }}
{{ define "c114" }}{{ sub 3 5 }}{{ end }}
{{ define "c115" }}{{ mul 2 3 4 }}{{ end }}
{{ define "c116" }}{{ div 7 2 }}{{ end }}
{{ define "c117" }}{{ div -7 2 }}{{ end }}
{{ define "c118" }}{{ mod 7 3 }}{{ end }}
{{ define "c119" }}{{ max 1 9 3 }}{{ end }}
{{ define "c120" }}{{ biggest 1 9 }}{{ end }}
{{ define "c121" }}{{ min 4 -1 3 }}{{ end }}
{{ define "c122" }}{{ maxf 1 2.5 }}{{ end }}
{{ define "c123" }}{{ minf 1 -2.5 }}{{ end }}
{{ define "c124" }}{{ addf 0.1 0.2 }}{{ end }}
{{ define "c125" }}{{ add1f 1.5 }}{{ end }}
{{ define "c126" }}{{ subf 1.1 0.9 }}{{ end }}
{{ define "c127" }}{{ mulf 1.1 3 }}{{ end }}
{{ define "c128" }}{{ divf 1 3 }}{{ end }}
{{ define "c129" }}{{ divf 2 3 }}{{ end }}
{{ define "c130" }}{{ floor 1.7 }}{{ end }}
{{ define "c131" }}{{ ceil "1.2" }}{{ end }}
{{ define "c132" }}{{ round 3.14159 2 }}{{ end }}
{{ define "c133" }}{{ round 2.5 0 }}{{ end }}
{{ define "c134" }}{{ atoi "42" }}{{ end }}
{{ define "c135" }}{{ atoi "4x" }}{{ end }}
{{ define "c136" }}{{ int "010" }}{{ end }}
{{ define "c137" }}{{ int "08" }}{{ end }}
{{ define "c138" }}{{ int64 "0xff" }}{{ end }}
{{ define "c139" }}{{ int "12.00" }}{{ end }}
{{ define "c140" }}{{ int 3.99 }}{{ end }}
{{ define "c141" }}{{ float64 "1.5" }}{{ end }}
{{ define "c142" }}{{ typeOf (float64 1) }}{{ end }}
{{ define "c143" }}{{ toDecimal "755" }}{{ end }}
