# bash completion for kiln (installed by `make install`).
_kiln() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build diff hash version help" -- "$cur"))
        return
    fi
    case $prev in
        -o|--output) COMPREPLY=($(compgen -W "yaml json text" -- "$cur")); return ;;
        --format) COMPREPLY=($(compgen -W "text json markdown" -- "$cur")); return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --rev|--base|--head)
            COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur"))
            return ;;
    esac
    case ${COMP_WORDS[1]} in
        build) COMPREPLY=($(compgen -W "-o --output --rev --hash -j --jobs --load-restrictor --enable-managedby-label" -- "$cur")) ;;
        diff) COMPREPLY=($(compgen -W "--live --base --head --format --color --namespace --owner-label --field-manager" -- "$cur")) ;;
        hash) COMPREPLY=($(compgen -W "-o --output" -- "$cur")) ;;
        help) COMPREPLY=($(compgen -W "build diff hash version" -- "$cur")); return ;;
    esac
    [[ $cur == -* ]] || COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -o filenames -F _kiln kiln
