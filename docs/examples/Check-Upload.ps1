<#
.SYNOPSIS
    May this file be uploaded there? A gate in front of an upload step.

.DESCRIPTION
    Runs `o365lint check FILE --destination DESTINATION --format json`. The upload script
    block, if given, runs only when the file may go there. Exits as o365lint check does
    (0 may go, 1 may not, 2 the check failed, 3 the file could not be read), or with the
    upload's own exit code when it ran. Untested: the project's CI has no PowerShell
    (docs/integration.md); the bash version, check-upload.sh, is tested.

.EXAMPLE
    .\Check-Upload.ps1 -Path .\notat.docx `
        -Destination 'https://oslokommune.sharepoint.com/sites/prosjekt' `
        -Upload { Add-PnPFile -Path .\notat.docx -Folder 'Delte dokumenter' }
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $Destination,
    # Runs only when the file may go; its exit code (or 1 if it throws) is the script's.
    [scriptblock] $Upload,
    # A destination no rule knows: a gate should not let files pass to places nobody judged.
    [ValidateSet('allow', 'warn', 'block')] [string] $Unknown = 'block',
    # The binary (default: o365lint on PATH).
    [string] $O365lint = $(if ($env:O365LINT) { $env:O365LINT } else { 'o365lint' }),
    # A file to keep the JSON answer in (an audit trail; it holds masked values only).
    [string] $JsonLog
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# o365lint writes UTF-8; Windows PowerShell would otherwise read it in the OEM code page.
[Console]::OutputEncoding = [Text.Encoding]::UTF8
$english = $env:O365LINT_LANG -eq 'en'
function Say([string] $nb, [string] $en) {
    [Console]::Error.WriteLine($(if ($english) { $en } else { $nb }))
}

try {
    $json = & $O365lint check $Path --destination $Destination --unknown $Unknown --format json
    $code = $LASTEXITCODE
} catch {
    Say "Ikke lastet opp: o365lint kunne ikke startes ($_)." "Not uploaded: o365lint could not be started ($_)."
    exit 2
}
$json = $json -join "`n"
if ($JsonLog) { Set-Content -LiteralPath $JsonLog -Value $json -Encoding utf8 }

switch ($code) {
    0 {
        if (-not $Upload) { Say 'Kan lastes opp.' 'May be uploaded.'; exit 0 }
        try { & $Upload } catch { Write-Error $_ -ErrorAction Continue; exit 1 }
        exit $(if ($null -ne $LASTEXITCODE) { $LASTEXITCODE } else { 0 })
    }
    1 {
        # Why, per file: the verdict and the rules that decided, from the JSON answer.
        foreach ($f in (ConvertFrom-Json $json).files) {
            $check = $f.PSObject.Properties['check']
            if (-not $check) { continue }
            $rules = $check.Value.PSObject.Properties['rules']
            $rules = if ($rules) { $rules.Value -join ', ' } else { '' }
            [Console]::Error.WriteLine("$($f.path): $($check.Value.verdict) ($rules)")
        }
        Say "Ikke lastet opp. Hvorfor og hva du gjør: o365lint check `"$Path`" -d `"$Destination`"" `
            "Not uploaded. Why and what to do: o365lint check `"$Path`" -d `"$Destination`" --lang en"
        exit 1
    }
    3 {
        Say 'Ikke lastet opp: filen kunne ikke leses, så det kan ikke avgjøres om den kan gå dit.' `
            'Not uploaded: the file could not be read, so whether it may go there cannot be told.'
        exit 3
    }
    default {
        Say "Ikke lastet opp: kontrollen feilet (o365lint avsluttet med $code)." `
            "Not uploaded: the check failed (o365lint exited with $code)."
        exit 2
    }
}
