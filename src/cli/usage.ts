/** Help text of the `snsgov` command line (kept in one place so the README can quote it). */
export const usage = `usage: snsgov <command> [options]

commands:
  serve [--demo]                      start the web application (PORT, SNSGOV_DATA_DIR, DATABASE_URL)
  check [--platform P] [--kind post|bio|correction] [--format text|json] [FILE|-]
                                      check a post or profile against the guideline
  check --jsonl FILE                  check one JSON object per line (corpus format)
  db migrate                          apply pending migrations
  db backup FILE                      write a backup of the embedded database
  db restore FILE                     replace the embedded database with a backup
  db copy-to postgres://...           copy every table into an empty PostgreSQL database
  audit verify [--public-key PEM]... [--anchor FILE]...
                                      recompute the audit chain and check the signed checkpoints
                                      (and the checkpoints kept in FILE: anchor file, public JSON)
  audit verify --file F [--public-key PEM]
                                      verify an exported audit file offline
  audit export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]
                                      export entries and checkpoints for an auditor
  audit checkpoint                    sign a checkpoint of the audit chain now
  import staff FILE [--dry-run] [--effective-date YYYY-MM-DD] [--encoding utf8|sjis] [--skip-rejected]
  import org FILE [--dry-run] [--encoding utf8|sjis] [--skip-rejected]
                                      import staff or organisation CSV (UTF-8 or Shift_JIS)
  user list                           list people who can sign in and their roles
  user create-admin --employee-no N --name NAME --email E --department CODE --position CODE [--division CODE]
                                      register an administrator and print a password-setup link
  user reset-password LOGIN           print a one-time password reset link for a person
  publisher                           run only the sender and the profile watch (SNSGOV_PUBLISHER=separate
                                      on the web server); LGWAN deployments, see docs/publishing.md
  publisher send-now | watch-profiles run one pass and exit
  publisher rotate-key                re-encrypt the stored platform tokens under a new key
`;
