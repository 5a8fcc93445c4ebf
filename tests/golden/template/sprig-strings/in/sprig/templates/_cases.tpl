{{ define "c001" }}{{ hello }}{{ end }}
{{ define "c002" }}{{ trim "  a b \n" }}{{ end }}
{{ define "c003" }}{{ trimAll "$" "$5.00$" }}{{ end }}
{{ define "c004" }}{{ trimall "$" "$5$" }}{{ end }}
{{ define "c005" }}{{ trimSuffix "-" "hello-" }}{{ end }}
{{ define "c006" }}{{ trimPrefix "-" "-hello" }}{{ end }}
{{ define "c007" }}{{ upper "hello été" }}{{ end }}
{{ define "c008" }}{{ lower "HELLO" }}{{ end }}
{{ define "c009" }}{{ title "hello world-foo_bar" }}{{ end }}
{{ define "c010" }}{{ untitle "Hello World" }}{{ end }}
{{ define "c011" }}{{ repeat 3 "ab" }}{{ end }}
{{ define "c012" }}{{ substr 0 5 "hello world" }}{{ end }}
{{ define "c013" }}{{ substr 6 -1 "hello world" }}{{ end }}
{{ define "c014" }}{{ substr -1 3 "hello" }}{{ end }}
{{ define "c015" }}{{ nospace "hello w o r l d" }}{{ end }}
{{ define "c016" }}{{ trunc 5 "hello world" }}{{ end }}
{{ define "c017" }}{{ trunc -5 "hello world" }}{{ end }}
{{ define "c018" }}{{ trunc 50 "hello" }}{{ end }}
{{ define "c019" }}{{ abbrev 5 "hello world" }}{{ end }}
{{ define "c020" }}{{ abbrev 3 "hello world" }}{{ end }}
{{ define "c021" }}{{ abbrevboth 5 10 "1234 5678 9123" }}{{ end }}
{{ define "c022" }}{{ initials "First Try" }}{{ end }}
{{ define "c023" }}{{ swapcase "This Is A.Test" }}{{ end }}
{{ define "c024" }}{{ snakecase "FirstName" }}{{ end }}
{{ define "c025" }}{{ snakecase "HTTPServer" }}{{ end }}
{{ define "c026" }}{{ kebabcase "FirstName" }}{{ end }}
{{ define "c027" }}{{ camelcase "http_server" }}{{ end }}
{{ define "c028" }}{{ camelcase "foo-bar baz" }}{{ end }}
{{ define "c029" }}{{ camelcase "GOLANG_IS_GREAT" }}{{ end }}
{{ define "c030" }}{{ wrap 5 "Hello World" }}{{ end }}
{{ define "c031" }}{{ wrapWith 5 "\t" "Hello World" }}{{ end }}
{{ define "c032" }}{{ wrapWith 4 "|" "abcdefghij" }}{{ end }}
{{ define "c033" }}{{ contains "cat" "catch" }}{{ end }}
{{ define "c034" }}{{ hasPrefix "cat" "catch" }}{{ end }}
{{ define "c035" }}{{ hasSuffix "cat" "catch" }}{{ end }}
{{ define "c036" }}{{ quote "a\"b" 1 nil }}{{ end }}
{{ define "c037" }}{{ squote "a" 2 }}{{ end }}
{{ define "c038" }}{{ cat "hello" "beautiful" "world" }}{{ end }}
{{ define "c039" }}{{ cat "a" nil 1 }}{{ end }}
{{ define "c040" }}{{ indent 2 "a\nb" }}{{ end }}
{{ define "c041" }}{{ nindent 2 "a" }}{{ end }}
{{ define "c042" }}{{ replace " " "-" "I Am Henry VIII" }}{{ end }}
{{ define "c043" }}{{ replace "" "x" "ab" }}{{ end }}
{{ define "c044" }}{{ plural "one anchovy" "many anchovies" 1 }}{{ end }}
{{ define "c045" }}{{ plural "one anchovy" "many anchovies" 2 }}{{ end }}
{{ define "c046" }}{{ toString 12 }}{{ end }}
{{ define "c047" }}{{ toString 1.5 }}{{ end }}
{{ define "c048" }}{{ toStrings (list 1 "a" nil true) }}{{ end }}
{{ define "c049" }}{{ typeOf (toStrings (list 1)) }}{{ end }}
{{ define "c050" }}{{ join "," (list 1 "a" true) }}{{ end }}
{{ define "c051" }}{{ join "," "single" }}{{ end }}
{{ define "c052" }}{{ sortAlpha (list "c" "a" "B") }}{{ end }}
{{ define "c053" }}{{ (split "$" "foo$bar$baz")._1 }}{{ end }}
{{ define "c054" }}{{ typeOf (split "$" "a$b") }}{{ end }}
{{ define "c055" }}{{ (splitn "$" 2 "foo$bar$baz")._1 }}{{ end }}
{{ define "c056" }}{{ splitList "," "a,b,c" }}{{ end }}
{{ define "c057" }}{{ splitList "" "abc" }}{{ end }}
{{ define "c058" }}{{ len (splitList "," "") }}{{ end }}
