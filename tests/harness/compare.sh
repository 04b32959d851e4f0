# shellcheck shell=bash
# Full source/target comparator for restore tests (sourced by lib.sh).
#
#   compare_full SRC_SERVER SRC_DB DST_SERVER DST_DB
#       Fails (via `fail`) unless the two databases are the same: database
#       definition, catalog (information_schema TABLES, VIEWS, ROUTINES,
#       TRIGGERS, EVENTS), every SHOW CREATE (TABLE, SEQUENCE, VIEW,
#       PROCEDURE, FUNCTION, PACKAGE, PACKAGE BODY, TRIGGER, EVENT, all
#       columns except a trigger's `Created`), sequence state, and data: row
#       count and CHECKSUM TABLE ... EXTENDED of every table, row count of
#       every partition and subpartition, and for system-versioned tables
#       count and checksum of every row FOR SYSTEM_TIME ALL including
#       ROW_START/ROW_END. Every difference is reported (object, aspect, a
#       short diff) before failing. DST_DB may differ from SRC_DB (a restore
#       with --into): the target's database name is then rewritten to the
#       source's in SHOW CREATE and catalog text.
#       On success prints "ok: full compare of N objects of SRC_DB".
#
#       COMPARE_NORMALIZE_LINE_ENDS=1: spaces between a ';' and the end of a
#       line are ignored (a restore by myloader, docs/FORMAT.md).
#       COMPARE_KNOWN (optional, one per line "OBJECT|ASPECT-PREFIX|WHY"):
#       known server limitations, each left out of the comparison of the
#       object it names (OBJECT * : every object), and printed as
#       "known: ..." so it stays visible.
#
#   list_catalog_objects SERVER DB
#       One line per catalog object, "KIND<TAB>NAME", sorted (bytes): KIND is
#       the TABLE_TYPE (BASE TABLE, SYSTEM VERSIONED, SEQUENCE, VIEW), the
#       ROUTINE_TYPE (PROCEDURE, FUNCTION, PACKAGE, PACKAGE BODY), TRIGGER or
#       EVENT; NAME is printed raw (names must not hold a tab or newline).
#
# How compare_full works, per side (two client sessions):
#   1. a generator query turns the catalog into a script: one line per
#      check, "marker; statement;", where the marker is
#        SELECT '@@' AS `@@`, <object> AS object, <aspect> AS aspect, <mode> AS mode
#      (object and aspect as X'..' literals, so no name needs escaping);
#   2. the script runs in one session (--force, with column names); the
#      output is flattened by _cmp_flatten into "object<TAB>aspect<TAB>value"
#      lines (values as the client's batch mode escapes them: \t \n \\ \0,
#      so each value is one line; NULL and the string 'NULL' both print as
#      NULL, harmless here: row data is compared through checksums and HEX,
#      never as text); an error of line N of the script becomes the value
#      "ERROR ..." of the N-th check.
# The two flattened snapshots are then compared key by key (_cmp_report).
# Identifiers are quoted by the server (REPLACE(name, '`', '``')) and string
# literals are sent as hex, so names may hold any character but tab/newline.

# _cmp_hex STRING: the bytes of STRING as hex digits
_cmp_hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# _cmp_session DB: the first script line of every session: fixed session
# settings on both sides (SHOW CREATE and temporal values depend on them)
# and @db, the database compared.
_cmp_session() {
    printf "SET SESSION sql_mode='', time_zone='+00:00', group_concat_max_len=1073741824, "
    printf "max_statement_time=0; SET @db = CONVERT(X'%s' USING utf8mb4);\n" "$(_cmp_hex "$1")"
}

# _cmp_client SERVER [args]: the mariadb client as the comparator runs it
_cmp_client() {
    local srv=$1; shift
    sql "$srv" --default-character-set=utf8mb4 "$@"
}

# The catalog checks: one query per information_schema table, rows keyed by
# their first column (mode "catalog"). Volatile columns (CREATED,
# LAST_ALTERED, LAST_EXECUTED, ORIGINATOR, statistics) are left out.
_CMP_IN_DB='%s = @db AND BINARY %s = BINARY @db'
_cmp_catalog_marker() {
    printf "SELECT '@@' AS \`@@\`, 'catalog' AS object, '%s' AS aspect, 'catalog' AS mode; " "$1"
}
_cmp_catalog_checks() {
    local q="CONCAT('\`', REPLACE(%s, '\`', '\`\`'), '\`')"
    local w m=_cmp_catalog_marker
    # shellcheck disable=SC2059
    {
    w=$(printf "$_CMP_IN_DB" SCHEMA_NAME SCHEMA_NAME)
    $m SCHEMATA; echo "SELECT 'database' AS object, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE $w;"
    w=$(printf "$_CMP_IN_DB" TABLE_SCHEMA TABLE_SCHEMA)
    $m TABLES; echo "SELECT CONCAT('table ', $(printf "$q" TABLE_NAME)) AS object, TABLE_TYPE, ENGINE, ROW_FORMAT, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT FROM information_schema.TABLES WHERE $w;"
    $m VIEWS; echo "SELECT CONCAT('table ', $(printf "$q" TABLE_NAME)) AS object, VIEW_DEFINITION, CHECK_OPTION, IS_UPDATABLE, DEFINER, SECURITY_TYPE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, ALGORITHM FROM information_schema.VIEWS WHERE $w;"
    w=$(printf "$_CMP_IN_DB" ROUTINE_SCHEMA ROUTINE_SCHEMA)
    $m ROUTINES; echo "SELECT CONCAT(LOWER(ROUTINE_TYPE), ' ', $(printf "$q" ROUTINE_NAME)) AS object, DATA_TYPE, DTD_IDENTIFIER, ROUTINE_BODY, ROUTINE_DEFINITION, IS_DETERMINISTIC, SQL_DATA_ACCESS, SECURITY_TYPE, SQL_MODE, ROUTINE_COMMENT, DEFINER, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION FROM information_schema.ROUTINES WHERE $w;"
    w=$(printf "$_CMP_IN_DB" TRIGGER_SCHEMA TRIGGER_SCHEMA)
    $m TRIGGERS; echo "SELECT CONCAT('trigger ', $(printf "$q" TRIGGER_NAME)) AS object, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_TIMING, ACTION_ORIENTATION, ACTION_STATEMENT, SQL_MODE, DEFINER, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION FROM information_schema.TRIGGERS WHERE $w;"
    w=$(printf "$_CMP_IN_DB" EVENT_SCHEMA EVENT_SCHEMA)
    $m EVENTS; echo "SELECT CONCAT('event ', $(printf "$q" EVENT_NAME)) AS object, DEFINER, TIME_ZONE, EVENT_BODY, EVENT_DEFINITION, EVENT_TYPE, EXECUTE_AT, INTERVAL_VALUE, INTERVAL_FIELD, SQL_MODE, STARTS, ENDS, STATUS, ON_COMPLETION, EVENT_COMMENT, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION FROM information_schema.EVENTS WHERE $w;"
    }
}

# The generator: one query whose rows are the per-object script lines.
# Modes: show (SHOW CREATE: drop the name column and a trigger's Created),
# checksum (keep the last column of CHECKSUM TABLE), row (every column).
read -r -d '' _CMP_GENERATOR <<'SQL' || true
SELECT CONCAT('SELECT ''@@'' AS `@@`, X''', HEX(obj), ''' AS object, X''', HEX(aspect),
              ''' AS aspect, ''', mode, ''' AS mode; ', stmt)
FROM (
  -- the database itself
  SELECT 'database' AS obj, 'SHOW CREATE DATABASE' AS aspect, 'show' AS mode,
         CONCAT('SHOW CREATE DATABASE ', @qdb, ';') AS stmt
  -- SHOW CREATE of every table, sequence and view
  UNION ALL
  SELECT CONCAT('table ', q), IF(TABLE_TYPE = 'VIEW', 'SHOW CREATE VIEW', 'SHOW CREATE TABLE'), 'show',
         CONCAT('SHOW CREATE ', IF(TABLE_TYPE = 'VIEW', 'VIEW ', 'TABLE '), @qdb, '.', q, ';')
  FROM tb
  -- row count and checksum of every table
  UNION ALL
  SELECT CONCAT('table ', q), 'COUNT(*)', 'row', CONCAT('SELECT COUNT(*) AS `rows` FROM ', @qdb, '.', q, ';')
  FROM tb WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
  UNION ALL
  SELECT CONCAT('table ', q), 'CHECKSUM TABLE EXTENDED', 'checksum', CONCAT('CHECKSUM TABLE ', @qdb, '.', q, ' EXTENDED;')
  FROM tb WHERE TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
  -- sequence state
  UNION ALL
  SELECT CONCAT('table ', q), 'SELECT *', 'row', CONCAT('SELECT * FROM ', @qdb, '.', q, ';')
  FROM tb WHERE TABLE_TYPE = 'SEQUENCE'
  -- system-versioned tables: every row of the history with its period
  UNION ALL
  SELECT CONCAT('table ', q), 'FOR SYSTEM_TIME ALL', 'row',
         CONCAT('SELECT COUNT(*) AS `rows`, SUM(CAST(CONV(LEFT(h, 15), 16, 10) AS UNSIGNED)) AS sum_a, ',
                'SUM(CAST(CONV(SUBSTRING(h, 16, 15), 16, 10) AS UNSIGNED)) AS sum_b FROM (SELECT MD5(CONCAT_WS('','', ',
                cols, IF(explicit_period, '', ', IFNULL(HEX(CAST(ROW_START AS BINARY)), ''N''), IFNULL(HEX(CAST(ROW_END AS BINARY)), ''N'')'),
                ')) AS h FROM ', @qdb, '.', q, ' FOR SYSTEM_TIME ALL) AS x;')
  FROM tb JOIN (
    SELECT TABLE_NAME,
           GROUP_CONCAT(CONCAT('IFNULL(HEX(CAST(`', REPLACE(COLUMN_NAME, '`', '``'), '` AS BINARY)), ''N'')')
                        ORDER BY ORDINAL_POSITION SEPARATOR ', ') AS cols,
           MAX(IFNULL(GENERATION_EXPRESSION, '') = 'ROW START') AS explicit_period
    FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @db AND BINARY TABLE_SCHEMA = BINARY @db
    GROUP BY TABLE_NAME
  ) AS c ON BINARY c.TABLE_NAME = BINARY tb.TABLE_NAME
  WHERE TABLE_TYPE = 'SYSTEM VERSIONED'
  -- row count of every partition and subpartition
  UNION ALL
  SELECT CONCAT('table ', CONCAT('`', REPLACE(TABLE_NAME, '`', '``'), '`')),
         CONCAT('rows in partition ', PARTITION_NAME, IFNULL(CONCAT(' subpartition ', SUBPARTITION_NAME), '')), 'row',
         CONCAT('SELECT COUNT(*) AS `rows` FROM ', @qdb, '.`', REPLACE(TABLE_NAME, '`', '``'), '` PARTITION (`',
                REPLACE(IFNULL(SUBPARTITION_NAME, PARTITION_NAME), '`', '``'), '`);')
  FROM information_schema.PARTITIONS
  WHERE TABLE_SCHEMA = @db AND BINARY TABLE_SCHEMA = BINARY @db AND PARTITION_NAME IS NOT NULL
  -- SHOW CREATE of every routine (procedure, function, package, package body)
  UNION ALL
  SELECT CONCAT(LOWER(ROUTINE_TYPE), ' `', REPLACE(ROUTINE_NAME, '`', '``'), '`'), CONCAT('SHOW CREATE ', ROUTINE_TYPE), 'show',
         CONCAT('SHOW CREATE ', ROUTINE_TYPE, ' ', @qdb, '.`', REPLACE(ROUTINE_NAME, '`', '``'), '`;')
  FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = @db AND BINARY ROUTINE_SCHEMA = BINARY @db
  -- triggers
  UNION ALL
  SELECT CONCAT('trigger `', REPLACE(TRIGGER_NAME, '`', '``'), '`'), 'SHOW CREATE TRIGGER', 'show',
         CONCAT('SHOW CREATE TRIGGER ', @qdb, '.`', REPLACE(TRIGGER_NAME, '`', '``'), '`;')
  FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = @db AND BINARY TRIGGER_SCHEMA = BINARY @db
  -- events
  UNION ALL
  SELECT CONCAT('event `', REPLACE(EVENT_NAME, '`', '``'), '`'), 'SHOW CREATE EVENT', 'show',
         CONCAT('SHOW CREATE EVENT ', @qdb, '.`', REPLACE(EVENT_NAME, '`', '``'), '`;')
  FROM information_schema.EVENTS WHERE EVENT_SCHEMA = @db AND BINARY EVENT_SCHEMA = BINARY @db
) AS checks;
SQL
# the generator's view of the tables (a CTE in front of the query above)
_CMP_GENERATOR="SET @qdb = CONCAT('\`', REPLACE(@db, '\`', '\`\`'), '\`');
WITH tb AS (SELECT TABLE_NAME, TABLE_TYPE, CONCAT('\`', REPLACE(TABLE_NAME, '\`', '\`\`'), '\`') AS q
            FROM information_schema.TABLES WHERE TABLE_SCHEMA = @db AND BINARY TABLE_SCHEMA = BINARY @db)
$_CMP_GENERATOR"

# _cmp_flatten ERRFILE < client output: "object<TAB>aspect<TAB>value" lines.
# ERRFILE holds the client's stderr; "ERROR ... at line N" belongs to the
# check on script line N (line 1 is the session line, so check N-1).
_cmp_flatten() {
    awk -F'\t' -v errfile="$1" '
    BEGIN {
        while ((getline l < errfile) > 0)
            if (match(l, /^ERROR [0-9]+ \([^)]*\) at line [0-9]+: /)) {
                n = l; sub(/^ERROR [0-9]+ \([^)]*\) at line /, "", n); sub(/:.*/, "", n)
                err[n - 1] = l
            }
    }
    function emit(aspect, value) { print obj "\t" aspect "\t" value }
    $0 == "@@\tobject\taspect\tmode" { next }           # marker header
    $1 == "@@" && NF == 4 {                             # marker row: a new check
        k++; obj = $2; aspect = $3; mode = $4; state = "header"
        if (k in err) { msg = err[k]; sub(/ at line [0-9]+/, "", msg); emit(aspect, msg); state = "" }
        next
    }
    state == "header" { nh = split($0, h, "\t"); state = "rows"; row = 0; next }
    state == "rows" {
        row++; suffix = row > 1 ? " #" row : ""
        if (mode == "catalog") {                        # rows keyed by their first column
            obj = $1
            for (j = 2; j <= NF; j++) emit(aspect "." h[j], $j)
        } else if (mode == "checksum") {
            emit(aspect suffix, $NF)
        } else if (mode == "show") {                    # column 1 is the name; Created is volatile
            for (j = 2; j <= NF; j++) if (h[j] != "Created") emit(aspect "." h[j] suffix, $j)
        } else {
            for (j = 1; j <= NF; j++) emit(aspect "." h[j] suffix, $j)
        }
    }'
}

# _cmp_snapshot SERVER DB OUTFILE: the flattened description of one side.
_cmp_snapshot() {
    local srv=$1 db=$2 out=$3 script=$3.script err=$3.stderr
    {
        _cmp_session "$db"
        _cmp_catalog_checks
        { _cmp_session "$db"; echo "$_CMP_GENERATOR"; } | _cmp_client "$srv" --raw ||
            fail "compare: cannot list the objects of $srv.$db"
    } >"$script"
    # errors are expected (and reported per check): ignore the exit status;
    # the client must finish before its stderr is read
    _cmp_client "$srv" --column-names --force <"$script" >"$out.client" 2>"$err" || true
    _cmp_flatten "$err" <"$out.client" >"$out"
    grep -q "^database	" "$out" || fail "compare: database $db not found on $srv: $(head -c 300 "$err")"
}

# _cmp_escape_name NAME: NAME back-quoted (` doubled) as the client's batch
# output prints it (\ \t escaped), the form a database name takes inside
# SHOW CREATE text.
_cmp_escape_name() {
    local s=${1//\\/\\\\}
    s=${s//$'\t'/\\t}
    s=${s//\`/\`\`}
    # shellcheck disable=SC2016
    printf '`%s`' "$s"
}

# _cmp_rename FROM TO < snapshot: the quoted database name FROM replaced by
# TO in every value (a restore under another name, --into).
_cmp_rename() {
    FROM=$(_cmp_escape_name "$1") TO=$(_cmp_escape_name "$2") awk -F'\t' -v OFS='\t' '
    BEGIN { from = ENVIRON["FROM"]; to = ENVIRON["TO"] }
    {
        v = $3; r = ""
        while ((i = index(v, from)) > 0) { r = r substr(v, 1, i - 1) to; v = substr(v, i + length(from)) }
        $3 = r v; print
    }'
}

# _cmp_report SRC_SNAPSHOT DST_SNAPSHOT: print every difference, grouped by
# object; exit status 1 if there is any. A multi-line value (SHOW CREATE)
# is shown as the lines only one side has; a one-line value as both sides
# around the first differing character.
_cmp_report() {
    awk -F'\t' '
    function key_of() { return $1 "\t" $2 }
    function val_of(   v) { v = $0; sub(/^[^\t]*\t[^\t]*\t/, "", v); return v }
    function note(o, msg) {
        if (!(o in notes)) order[++nobj] = o
        notes[o] = notes[o] msg "\n"; ndiff++
    }
    # the lines of an escaped value (split on \n, not on an escaped backslash before n)
    function lines(v, arr,   n, i) {
        gsub(/\\\\/, "\001", v); n = split(v, arr, /\\n/)
        for (i = 1; i <= n; i++) gsub(/\001/, "\\\\", arr[i])
        return n
    }
    function short_diff(a, b,   la, lb, na, nb, i, cnt, out, shown, p) {
        na = lines(a, la); nb = lines(b, lb)
        if (na > 1 || nb > 1) {
            split("", cnt)
            for (i = 1; i <= nb; i++) cnt[lb[i]]++
            for (i = 1; i <= na; i++) if (cnt[la[i]] > 0) cnt[la[i]]--; else if (shown++ < 12) out = out "        - " la[i] "\n"
            split("", cnt)
            for (i = 1; i <= na; i++) cnt[la[i]]++
            for (i = 1; i <= nb; i++) if (cnt[lb[i]] > 0) cnt[lb[i]]--; else if (shown++ < 24) out = out "        + " lb[i] "\n"
            if (out == "") out = "        (same lines in another order)\n"
            return out
        }
        if (length(a) <= 150 && length(b) <= 150)
            return "        source: " a "\n        target: " b "\n"
        for (p = 1; p <= length(a) && substr(a, p, 1) == substr(b, p, 1); p++) ;
        p = p > 60 ? p - 60 : 1
        return "        source: ..." substr(a, p, 150) "...\n        target: ..." substr(b, p, 150) "...\n"
    }
    FNR == NR { k = key_of(); src[k] = val_of(); sorder[++ns] = k; sobj[$1] = 1; next }
    { k = key_of(); dst[k] = val_of(); dorder[++nd] = k; dobj[$1] = 1 }
    END {
        for (i = 1; i <= ns; i++) {
            k = sorder[i]; split(k, f, "\t")
            if (!(f[1] in dobj)) { if (!(f[1] in missing)) { missing[f[1]] = 1; note(f[1], "    missing in target") } continue }
            if (!(k in dst)) note(f[1], "    " f[2] ": missing in target (source: " substr(src[k], 1, 150) ")")
            else if (src[k] != dst[k]) {
                d = short_diff(src[k], dst[k])
                note(f[1], "    " f[2] " differs:\n" substr(d, 1, length(d) - 1))
            }
        }
        for (i = 1; i <= nd; i++) {
            k = dorder[i]; split(k, f, "\t")
            if (!(f[1] in sobj)) { if (!(f[1] in extra)) { extra[f[1]] = 1; note(f[1], "    only in target") } continue }
            if (!(k in src)) note(f[1], "    " f[2] ": only in target (target: " substr(dst[k], 1, 150) ")")
        }
        for (i = 1; i <= nobj; i++) printf "  %s:\n%s", order[i], notes[order[i]]
        exit ndiff > 0
    }' "$1" "$2"
}

# _cmp_known < snapshot: the snapshot without the aspects COMPARE_KNOWN names
_cmp_known() {
    KNOWN=$COMPARE_KNOWN awk -F'\t' '
    BEGIN { n = split(ENVIRON["KNOWN"], l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, "|"); o[i] = f[1]; a[i] = f[2] } }
    { for (i = 1; i <= n; i++) if (o[i] != "" && (o[i] == "*" || $1 == o[i]) && index($2, a[i]) == 1) next; print }'
}

# compare_full SRC_SERVER SRC_DB DST_SERVER DST_DB
compare_full() {
    local s=$1 sdb=$2 d=$3 ddb=$4 dir n
    dir=$(mktemp -d "$T/compare.XXXXXX")
    _cmp_snapshot "$s" "$sdb" "$dir/source"
    _cmp_snapshot "$d" "$ddb" "$dir/target.raw"
    if [ "$sdb" != "$ddb" ]; then
        _cmp_rename "$ddb" "$sdb" <"$dir/target.raw" >"$dir/target"
    else
        cp "$dir/target.raw" "$dir/target"
    fi
    n=$(cut -f1 "$dir/source" | sort -u | wc -l)
    if [ -n "${COMPARE_NORMALIZE_LINE_ENDS:-}" ]; then
        for f in source target; do sed -E 's/; +\\n/;\\n/g' "$dir/$f" >"$dir/$f.n" && mv "$dir/$f.n" "$dir/$f"; done
    fi
    if [ -n "${COMPARE_KNOWN:-}" ]; then
        while IFS='|' read -r o a why; do
            [ -n "$o" ] && { [ "$o" = "*" ] || grep -qF -- "$o	$a" "$dir/source"; } && echo "known: $sdb: $o $a: $why"
        done <<<"$COMPARE_KNOWN"
        _cmp_known <"$dir/source" >"$dir/source.k" && mv "$dir/source.k" "$dir/source"
        _cmp_known <"$dir/target" >"$dir/target.k" && mv "$dir/target.k" "$dir/target"
    fi
    if ! _cmp_report "$dir/source" "$dir/target" >"$dir/report"; then
        echo "differences between $s.$sdb and $d.$ddb:" >&2
        cat "$dir/report" >&2
        fail "full compare of $sdb: $(grep -c '^  [^ ]' "$dir/report") of $n objects differ ($s.$sdb vs $d.$ddb)"
    fi
    ok "full compare of $n objects of $sdb"
}

# list_catalog_objects SERVER DB: "KIND<TAB>NAME" for every catalog object
list_catalog_objects() {
    local srv=$1 db=$2 w
    # shellcheck disable=SC2059
    {
        _cmp_session "$db"
        w=$(printf "$_CMP_IN_DB" TABLE_SCHEMA TABLE_SCHEMA)
        echo "SELECT TABLE_TYPE, TABLE_NAME FROM information_schema.TABLES WHERE $w"
        w=$(printf "$_CMP_IN_DB" ROUTINE_SCHEMA ROUTINE_SCHEMA)
        echo "UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE $w"
        w=$(printf "$_CMP_IN_DB" TRIGGER_SCHEMA TRIGGER_SCHEMA)
        echo "UNION ALL SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE $w"
        w=$(printf "$_CMP_IN_DB" EVENT_SCHEMA EVENT_SCHEMA)
        echo "UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE $w;"
    } | _cmp_client "$srv" --raw | LC_ALL=C sort || fail "list_catalog_objects: cannot read $srv.$db"
}
