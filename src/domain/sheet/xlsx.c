/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/sheet/xlsx.c -- the first sheet of an Excel .xlsx workbook into
 * records for the reader. libzip opens the archive, expat reads its XML
 * (ECMA-376 SpreadsheetML): the workbook names its first sheet and whether
 * dates count from 1904, its relationships where that sheet is, the shared
 * strings hold the text of cells, the styles say which number formats are
 * dates. A cell is a shared string, inline text, a formula's text, a boolean,
 * or a number -- written as the date it shows when its format is a date
 * (YYYY-MM-DD), as an integer when it is one, else as stored. Rows keep their
 * spreadsheet numbers, so the report names the row Excel shows. Every part is
 * read under a size limit (a small archive may inflate without end). */
#include "core/compat.h"

#include <expat.h>
#include <math.h>
#include <zip.h>

#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/sheet/sheet_int.h"

#define PART_MAX (64u << 20) /* bytes of one XML part, inflated */
#define MAX_COLUMN 1024      /* cells right of this are not read */
#define MAX_STYLES 65536

/* ---- the archive's parts ---- */

/* Part 'name' inflated into 'out' (NUL-terminated); false when absent, over
 * PART_MAX or damaged. */
static bool
read_part(zip_t *z, const char *name, struct sbuf *out)
{
    zip_stat_t st;
    zip_file_t *f;
    zip_int64_t n;
    char buf[16384];

    sbuf_reset(out);
    zip_stat_init(&st);
    if (zip_stat(z, name, ZIP_FL_NOCASE, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > PART_MAX)
        return false;
    f = zip_fopen(z, name, ZIP_FL_NOCASE);
    if (!f)
        return false;
    while ((n = zip_fread(f, buf, sizeof(buf))) > 0 && out->len + (size_t)n <= PART_MAX)
        sbuf_add(out, buf, (size_t)n);
    zip_fclose(f);
    return n == 0 && out->len == st.size && !out->failed;
}

/* Parse 'xml' with the handlers; false on malformed XML. */
static bool
parse_xml(const struct sbuf *xml, void *arg, XML_StartElementHandler start,
          XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    bool ok;

    if (!p)
        abort();
    XML_SetUserData(p, arg);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    ok = XML_Parse(p, xml->buf ? xml->buf : "", (int)xml->len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok;
}

/* An element's local name: "x:row" -> "row". */
static const char *
local(const char *name)
{
    const char *c = strrchr(name, ':');

    return c ? c + 1 : name;
}

static const char *
attr(const char **atts, const char *want)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), want) == 0)
            return atts[i + 1];
    return NULL;
}

/* ---- workbook, relationships: which part is the first sheet ---- */

struct book {
    char first_rid[64]; /* r:id of the first <sheet> */
    bool date1904;
    char target[256]; /* that relationship's target */
};

static void XMLCALL
book_start(void *arg, const char *name, const char **atts)
{
    struct book *b = arg;
    const char *v;

    if (strcmp(local(name), "sheet") == 0 && !b->first_rid[0] && (v = attr(atts, "id")))
        snprintf(b->first_rid, sizeof(b->first_rid), "%s", v);
    else if (strcmp(local(name), "workbookPr") == 0 && (v = attr(atts, "date1904")))
        b->date1904 = strcmp(v, "1") == 0 || strcmp(v, "true") == 0;
}

static void XMLCALL
rels_start(void *arg, const char *name, const char **atts)
{
    struct book *b = arg;
    const char *id = attr(atts, "Id"), *target = attr(atts, "Target");

    if (strcmp(local(name), "Relationship") == 0 && id && target && strcmp(id, b->first_rid) == 0 &&
        !b->target[0])
        snprintf(b->target, sizeof(b->target), "%s", target);
}

static void XMLCALL
no_end(void *arg, const char *name)
{
    (void)arg;
    (void)name;
}

static void XMLCALL
no_text(void *arg, const char *s, int len)
{
    (void)arg;
    (void)s;
    (void)len;
}

/* The first sheet's part name ("xl/worksheets/sheet1.xml"). */
static void
first_sheet(zip_t *z, struct sbuf *xml, struct book *b, char *path, size_t size)
{
    snprintf(path, size, "xl/worksheets/sheet1.xml");
    if (!read_part(z, "xl/workbook.xml", xml) || !parse_xml(xml, b, book_start, no_end, no_text) ||
        !b->first_rid[0] || !read_part(z, "xl/_rels/workbook.xml.rels", xml) ||
        !parse_xml(xml, b, rels_start, no_end, no_text) || !b->target[0])
        return;
    if (b->target[0] == '/')
        snprintf(path, size, "%s", b->target + 1);
    else
        snprintf(path, size, "xl/%s", b->target);
}

/* ---- shared strings ---- */

struct strings {
    struct sbuf pool; /* each string NUL-terminated */
    size_t *off;
    size_t n, cap;
    struct sbuf cur;
    int in_t;   /* inside <t> of the current <si> (not of a phonetic run) */
    int in_rph; /* inside <rPh>: a reading aid, not the cell's text */
};

static void XMLCALL
ss_start(void *arg, const char *name, const char **atts)
{
    struct strings *s = arg;
    const char *n = local(name);

    (void)atts;
    if (strcmp(n, "si") == 0)
        sbuf_reset(&s->cur);
    else if (strcmp(n, "rPh") == 0)
        s->in_rph++;
    else if (strcmp(n, "t") == 0 && !s->in_rph)
        s->in_t++;
}

static void XMLCALL
ss_end(void *arg, const char *name)
{
    struct strings *s = arg;
    const char *n = local(name);

    if (strcmp(n, "rPh") == 0 && s->in_rph)
        s->in_rph--;
    else if (strcmp(n, "t") == 0 && s->in_t)
        s->in_t--;
    else if (strcmp(n, "si") == 0) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->off = xrealloc(s->off, s->cap * sizeof(*s->off));
        }
        s->off[s->n++] = s->pool.len;
        sbuf_add(&s->pool, s->cur.buf ? s->cur.buf : "", s->cur.len);
        sbuf_addc(&s->pool, '\0');
    }
}

static void XMLCALL
ss_text(void *arg, const char *text, int len)
{
    struct strings *s = arg;

    if (s->in_t)
        sbuf_add(&s->cur, text, (size_t)len);
}

/* ---- styles: which cell formats are dates ---- */

struct styles {
    bool custom_date[512]; /* custom numFmtId (>= 164, < 676) -> a date format */
    bool *xf_date;         /* cellXfs index -> a date format */
    size_t nxf, cap;
    int in_xfs;
};

/* A custom format code that shows a date: y, m or d outside quotes and
 * brackets (a colour, a locale), and no '0' or '#' of a plain number. */
static bool
code_is_date(const char *code)
{
    bool quoted = false, date = false;
    int bracket = 0;

    for (const char *p = code; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (*p == '[')
            bracket++;
        else if (*p == ']' && bracket)
            bracket--;
        else if (bracket)
            continue;
        else if (*p == '\\')
            p += p[1] != '\0';
        else if (strchr("yYdD", *p) || ((*p == 'm' || *p == 'M') && !date))
            date = true;
        else if (*p == '0' || *p == '#')
            return false;
    }
    return date;
}

/* Built-in formats that are dates (ECMA-376 18.8.30, and the CJK ones). */
static bool
builtin_date(long id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
}

static void XMLCALL
styles_start(void *arg, const char *name, const char **atts)
{
    struct styles *st = arg;
    const char *n = local(name), *id = attr(atts, "numFmtId");
    long v = id ? strtol(id, NULL, 10) : 0;

    if (strcmp(n, "numFmt") == 0 && id && v >= 164 && v < 164 + 512) {
        const char *code = attr(atts, "formatCode");

        st->custom_date[v - 164] = code && code_is_date(code);
    } else if (strcmp(n, "cellXfs") == 0) {
        st->in_xfs = 1;
    } else if (strcmp(n, "xf") == 0 && st->in_xfs && st->nxf < MAX_STYLES) {
        if (st->nxf == st->cap) {
            st->cap = st->cap ? st->cap * 2 : 64;
            st->xf_date = xrealloc(st->xf_date, st->cap * sizeof(*st->xf_date));
        }
        st->xf_date[st->nxf++] =
            builtin_date(v) || (v >= 164 && v < 164 + 512 && st->custom_date[v - 164]);
    }
}

static void XMLCALL
styles_end(void *arg, const char *name)
{
    struct styles *st = arg;

    if (strcmp(local(name), "cellXfs") == 0)
        st->in_xfs = 0;
}

/* ---- the sheet ---- */

struct sheet {
    struct sheet_reader *r;
    const struct strings *ss;
    const struct styles *st;
    bool date1904;
    int next_col;  /* column of a cell that gives no reference */
    int col;       /* the current cell's column */
    char type[12]; /* its t attribute */
    long style;    /* its s attribute, -1 when none */
    struct sbuf val;
    int in_v, in_t; /* inside <v>, or <t> of inline text */
    bool in_row, bad;
};

/* "AB12" -> 27 (0-based); -1 when not a cell reference. */
static int
column_of(const char *ref)
{
    int c = 0, letters = 0;

    for (; *ref >= 'A' && *ref <= 'Z' && letters < 3; ref++, letters++)
        c = c * 26 + (*ref - 'A' + 1);
    return letters && *ref >= '0' && *ref <= '9' ? c - 1 : -1;
}

/* An Excel serial day as YYYY-MM-DD (days since 1899-12-30, or since
 * 1904-01-01); false outside 1900-2199. */
static bool
serial_date(double serial, bool date1904, char out[16])
{
    long days = (long)floor(serial) + (date1904 ? 1462 : 0);
    long z, era, doe, yoe, y, doy, mp, d, m;

    if (serial < 1 || serial > 109574)
        return false;
    /* days since 1970-01-01, then the civil date (H. Hinnant's algorithm) */
    z = days - 25569 + 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, 16, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    return true;
}

/* A number cell as text: its date, its integer, or the stored text. */
static void
number_text(const struct sheet *sh, const char *raw, struct sbuf *out)
{
    char *end, buf[32];
    double v = strtod(raw, &end);
    bool is_date = sh->style >= 0 && (size_t)sh->style < sh->st->nxf && sh->st->xf_date[sh->style];

    if (*end || end == raw) {
        sbuf_adds(out, raw);
    } else if (is_date && serial_date(v, sh->date1904, buf)) {
        sbuf_adds(out, buf);
    } else if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, sizeof(buf), "%.0f", v);
        sbuf_adds(out, buf);
    } else {
        sbuf_adds(out, raw);
    }
}

static void
cell_done(struct sheet *sh)
{
    struct sbuf text = SBUF_INIT;
    const char *v = sh->val.buf ? sh->val.buf : "";
    struct sheet_reader *r = sh->r;

    if (sh->col >= MAX_COLUMN)
        return;
    if (strcmp(sh->type, "s") == 0) {
        char *end;
        long i = strtol(v, &end, 10);

        if (*v && !*end && i >= 0 && (size_t)i < sh->ss->n)
            sbuf_adds(&text, sh->ss->pool.buf + sh->ss->off[i]);
        else
            sh->bad = true;
    } else if (strcmp(sh->type, "b") == 0) {
        sbuf_adds(&text, strcmp(v, "1") == 0 ? "TRUE" : "FALSE");
    } else if (strcmp(sh->type, "n") == 0 || !sh->type[0]) {
        number_text(sh, v, &text);
    } else { /* str, inlineStr, e: the text as it stands */
        sbuf_add(&text, v, sh->val.len);
    }
    while ((int)r->nfields < sh->col)
        reader_field(r, "", 0);
    if ((int)r->nfields == sh->col)
        reader_field(r, text.buf ? text.buf : "", text.len);
    sbuf_release(&text);
}

static void XMLCALL
sheet_start(void *arg, const char *name, const char **atts)
{
    struct sheet *sh = arg;
    const char *n = local(name), *v;

    if (strcmp(n, "row") == 0) {
        v = attr(atts, "r");
        sh->r->record = v ? (int)strtol(v, NULL, 10) : sh->r->record + 1;
        sh->next_col = 0;
        sh->in_row = true;
    } else if (strcmp(n, "c") == 0 && sh->in_row) {
        v = attr(atts, "r");
        sh->col = v ? column_of(v) : sh->next_col;
        if (sh->col < 0)
            sh->col = sh->next_col;
        sh->next_col = sh->col + 1;
        v = attr(atts, "t");
        snprintf(sh->type, sizeof(sh->type), "%s", v ? v : "");
        v = attr(atts, "s");
        sh->style = v ? strtol(v, NULL, 10) : -1;
        sbuf_reset(&sh->val);
    } else if (strcmp(n, "v") == 0) {
        sh->in_v++;
    } else if (strcmp(n, "t") == 0) {
        sh->in_t++;
    }
}

static void XMLCALL
sheet_end(void *arg, const char *name)
{
    struct sheet *sh = arg;
    const char *n = local(name);

    if (strcmp(n, "v") == 0 && sh->in_v)
        sh->in_v--;
    else if (strcmp(n, "t") == 0 && sh->in_t)
        sh->in_t--;
    else if (strcmp(n, "c") == 0 && sh->in_row)
        cell_done(sh);
    else if (strcmp(n, "row") == 0 && sh->in_row) {
        sh->in_row = false;
        if (sh->r->record > 0)
            reader_record(sh->r);
    }
}

static void XMLCALL
sheet_text(void *arg, const char *s, int len)
{
    struct sheet *sh = arg;

    if (sh->in_v || sh->in_t)
        sbuf_add(&sh->val, s, (size_t)len);
}

/* ---- the whole ---- */

static void
read_book(struct sheet_reader *r, zip_t *z)
{
    struct sbuf xml = SBUF_INIT;
    struct book b = { "", false, "" };
    struct strings ss = { .pool = SBUF_INIT, .cur = SBUF_INIT };
    struct styles st = { .nxf = 0 };
    struct sheet sh = { .r = r, .ss = &ss, .st = &st, .val = SBUF_INIT };
    char path[300];

    first_sheet(z, &xml, &b, path, sizeof(path));
    sh.date1904 = b.date1904;
    if (read_part(z, "xl/sharedStrings.xml", &xml) &&
        !parse_xml(&xml, &ss, ss_start, ss_end, ss_text))
        reader_fatal(r, 0, "Excel 文件已损坏(共享文字表无法读取)",
                     "the Excel file is damaged (its shared strings cannot be read)");
    else if (read_part(z, "xl/styles.xml", &xml) &&
             !parse_xml(&xml, &st, styles_start, styles_end, no_text))
        reader_fatal(r, 0, "Excel 文件已损坏(样式表无法读取)",
                     "the Excel file is damaged (its styles cannot be read)");
    else if (!read_part(z, path, &xml))
        reader_fatal(r, 0, "Excel 文件中找不到第一张工作表(或它超过 64 MB)",
                     "the Excel file has no first sheet (or it is over 64 MB)");
    else if (!parse_xml(&xml, &sh, sheet_start, sheet_end, sheet_text) || sh.bad)
        reader_fatal(r, r->record, "Excel 工作表已损坏,无法读完",
                     "the Excel sheet is damaged and cannot be read to its end");
    sbuf_release(&xml);
    sbuf_release(&ss.pool);
    sbuf_release(&ss.cur);
    free(ss.off);
    free(st.xf_date);
    sbuf_release(&sh.val);
}

void
sheet_xlsx_read(struct sheet_reader *r, const char *data, size_t len)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *z;

    zip_error_init(&zerr);
    src = zip_source_buffer_create(data, len, 0, &zerr);
    z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&zerr);
        reader_fatal(r, 0, "不是有效的 Excel(.xlsx)文件", "not a valid Excel (.xlsx) file");
        return;
    }
    read_book(r, z);
    zip_discard(z); /* read only; frees the source too */
    zip_error_fini(&zerr);
}
