# bash completion for kiln (installed by `make install`).
_kiln() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local verb=${COMP_WORDS[1]}
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "build diff check affected cel schema hash version help" -- "$cur"))
        return
    fi
    case $prev in
        -o|--output) COMPREPLY=($(compgen -W "yaml json text" -- "$cur")); return ;;
        --format)
            if [ "$verb" = check ]; then
                COMPREPLY=($(compgen -W "text json sarif junit github" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "text json markdown" -- "$cur"))
            fi
            return ;;
        --color) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
        --policy-set)
            COMPREPLY=($(compgen -W "baseline restricted gitops none baseline,gitops restricted,gitops" -- "$cur"))
            return ;;
        --missing-charts) COMPREPLY=($(compgen -W "error warn" -- "$cur")); return ;;
        --flux-objects) COMPREPLY=($(compgen -W "true false" -- "$cur")); return ;;
        --charts) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        --schema|--policy|--params|-f|--live|--kustomization|--flux-config)
            COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --rev|--base|--head)
            COMPREPLY=($(compgen -W "$(git for-each-ref --format='%(refname:short)' 2>/dev/null) HEAD" -- "$cur"))
            return ;;
    esac
    case $verb in
        build) COMPREPLY=($(compgen -W "-o --output --rev --hash -j --jobs --load-restrictor --enable-managedby-label --prune-list --live --per-kustomization --source --chart-source --charts --missing-charts --kustomization --flux-config --kubeconfig-secret --strict-substitute --flux-objects" -- "$cur")) ;;
        diff) COMPREPLY=($(compgen -W "--live --base --head --affected --watch --format --color --namespace --owner-label --field-manager --source --chart-source --charts --missing-charts --kustomization --flux-config --kubeconfig-secret --strict-substitute --flux-objects" -- "$cur")) ;;
        check) COMPREPLY=($(compgen -W "--schema --policy --policy-set --params --strict --require-schemas --format --rev --affected --staged --base --source --chart-source --charts --missing-charts --kustomization --flux-config --kubeconfig-secret --strict-substitute --flux-objects" -- "$cur")) ;;
        affected) COMPREPLY=($(compgen -W "--staged --base" -- "$cur")) ;;
        cel) COMPREPLY=($(compgen -W "-f --jsonl" -- "$cur")) ;;
        schema)
            if [ "$COMP_CWORD" -eq 2 ]; then
                COMPREPLY=($(compgen -W "import" -- "$cur"))
                return
            fi ;;
        hash) COMPREPLY=($(compgen -W "-o --output" -- "$cur")) ;;
        help) COMPREPLY=($(compgen -W "build diff check affected cel schema hash version" -- "$cur")); return ;;
    esac
    [[ $cur == -* ]] || COMPREPLY+=($(compgen -f -- "$cur"))
}
complete -o filenames -F _kiln kiln
