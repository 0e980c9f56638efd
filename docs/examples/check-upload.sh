#!/usr/bin/env bash
# check-upload.sh: may this file be uploaded there? A gate in front of an upload step.
#
#   check-upload.sh FILE DESTINATION [-- UPLOAD-COMMAND [ARGS...]]
#
# Runs `o365lint check FILE --destination DESTINATION --format json`. The upload command, if
# given, runs only when the file may go there. Exits as o365lint check does (0 may go, 1 may
# not, 2 the check failed, 3 the file could not be read), or with the upload command's own
# exit code when it ran.
#
# Environment:
#   O365LINT            the binary (default: o365lint on PATH)
#   O365LINT_CONFIG     the configuration (destinations, allow-list), as for o365lint
#   O365LINT_LANG       nb (default) or en, for o365lint's answers and this script's
#   CHECK_UPLOAD_UNKNOWN  a destination no rule knows: allow, warn or block (default: block;
#                       a gate should not let files pass to places nobody has judged)
#   CHECK_UPLOAD_JSON   a file to keep the JSON answer in (an audit trail; it holds masked
#                       values only)
#
# Example:
#   check-upload.sh notat.docx "https://oslokommune.sharepoint.com/sites/prosjekt" \
#       -- rclone copy notat.docx sharepoint:prosjekt/
set -uo pipefail

say() { # say NORWEGIAN ENGLISH
    if [[ ${O365LINT_LANG:-nb} == en ]]; then echo "$2" >&2; else echo "$1" >&2; fi
}

if [[ $# -lt 2 || ( $# -gt 2 && $3 != -- ) || $# -eq 3 ]]; then
    say "bruk: $0 FIL MÅLSTED [-- OPPLASTINGSKOMMANDO [ARGUMENTER...]]" \
        "usage: $0 FILE DESTINATION [-- UPLOAD-COMMAND [ARGS...]]"
    exit 2
fi
file=$1
destination=$2
shift 2
[[ $# -gt 0 ]] && shift # the --
o365lint=${O365LINT:-o365lint}
unknown=${CHECK_UPLOAD_UNKNOWN:-block}

json=$("$o365lint" check "$file" --destination "$destination" --unknown "$unknown" --format json)
code=$?
if [[ -n ${CHECK_UPLOAD_JSON:-} ]]; then
    printf '%s\n' "$json" >"$CHECK_UPLOAD_JSON"
fi

case $code in
0)
    if [[ $# -eq 0 ]]; then
        say "Kan lastes opp." "May be uploaded."
        exit 0
    fi
    "$@"
    exit $?
    ;;
1)
    # Why, and what to do, as a person reads it (the check takes milliseconds).
    "$o365lint" check "$file" --destination "$destination" --unknown "$unknown" >&2
    say "Ikke lastet opp." "Not uploaded."
    exit 1
    ;;
3)
    say "Ikke lastet opp: filen kunne ikke leses, så det kan ikke avgjøres om den kan gå dit." \
        "Not uploaded: the file could not be read, so whether it may go there cannot be told."
    exit 3
    ;;
*)
    # 2: usage or configuration (o365lint has said why); anything else: it did not run.
    say "Ikke lastet opp: kontrollen feilet (o365lint avsluttet med $code)." \
        "Not uploaded: the check failed (o365lint exited with $code)."
    exit 2
    ;;
esac
