/* SPDX-License-Identifier: Apache-2.0 */
/* src/http/static.c -- see static.h. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/xalloc.h"
#include "http/static.h"

#define PATH_MAX_BYTES 512

struct static_site {
    int root; /* directory fd */
};

int
static_open(const char *dir, struct static_site **out, struct err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return err_set(err, ERR_NOT_FOUND, "web", "找不到网页目录 %s:%s",
                       "cannot open the web directory %s: %s", dir, strerror(errno));
    *out = xcalloc(1, sizeof(**out));
    (*out)->root = fd;
    return 0;
}

void
static_close(struct static_site *s)
{
    if (!s)
        return;
    close(s->root);
    free(s);
}

struct mime {
    const char *ext;
    const char *type;
    bool compressible;
};

static const struct mime mimes[] = {
    { "html", "text/html; charset=utf-8", true },
    { "js", "text/javascript; charset=utf-8", true },
    { "mjs", "text/javascript; charset=utf-8", true },
    { "css", "text/css; charset=utf-8", true },
    { "json", "application/json", true },
    { "map", "application/json", true },
    { "webmanifest", "application/manifest+json", true },
    { "svg", "image/svg+xml", true },
    { "txt", "text/plain; charset=utf-8", true },
    { "ttf", "font/ttf", true },
    { "woff2", "font/woff2", false },
    { "woff", "font/woff", false },
    { "png", "image/png", false },
    { "jpg", "image/jpeg", false },
    { "jpeg", "image/jpeg", false },
    { "gif", "image/gif", false },
    { "webp", "image/webp", false },
    { "ico", "image/x-icon", false },
    { "wasm", "application/wasm", false },
};

static const struct mime *
mime_of(const char *rel)
{
    static const struct mime other = { "", "application/octet-stream", false };
    const char *slash = strrchr(rel, '/'), *dot = strrchr(rel, '.');

    if (dot && (!slash || dot > slash))
        for (size_t i = 0; i < ARRAY_LEN(mimes); i++)
            if (strcasecmp(dot + 1, mimes[i].ext) == 0)
                return &mimes[i];
    return &other;
}

/* 'path' without its leading '/', if every segment is a plain name: no empty
 * segment (but a trailing '/'), no '.' or '..', no hidden file, no backslash. */
static bool
safe_relative(const char *path, char *out, size_t size)
{
    const char *p = path;
    size_t n;

    if (*p != '/')
        return false;
    p++;
    n = strlen(p);
    if (n + 1 > size || strchr(p, '\\'))
        return false;
    for (const char *seg = p; *seg;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);

        if (len == 0 || seg[0] == '.')
            return false;
        seg += len;
        if (*seg == '/')
            seg++;
    }
    memcpy(out, p, n + 1);
    return true;
}

/* Open 'rel' under the root and nowhere else: no '..', no absolute path, no
 * symlink at any step (the built site has none). */
static int
open_beneath(const struct static_site *s, const char *rel)
{
    struct open_how how = { .flags = O_RDONLY | O_CLOEXEC,
                            .resolve =
                                RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };

    return (int)syscall(SYS_openat2, s->root, rel, &how, sizeof(how));
}

/* A regular file at 'rel': its fd and stat, else -1. */
static int
open_file(const struct static_site *s, const char *rel, struct stat *st)
{
    int fd = open_beneath(s, rel);

    if (fd < 0)
        return -1;
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* One Accept-Encoding entry ("gzip", "gzip;q=0.5", "*"): does it accept gzip? */
static bool
entry_accepts_gzip(const char *e, size_t len)
{
    size_t name = 0;
    const char *q;

    while (name < len && e[name] != ';' && e[name] != ' ' && e[name] != '\t')
        name++;
    if (!((name == 4 && strncasecmp(e, "gzip", 4) == 0) || (name == 1 && e[0] == '*')))
        return false;
    for (q = e + name; q < e + len; q++)
        if ((*q == 'q' || *q == 'Q') && q + 1 < e + len && q[1] == '=')
            return strtod(q + 2, NULL) > 0;
    return true;
}

bool
static_accepts_gzip(const char *ae)
{
    while (ae && *ae) {
        size_t len;

        ae += strspn(ae, " \t,");
        len = strcspn(ae, ",");
        if (len && entry_accepts_gzip(ae, len))
            return true;
        ae += len;
    }
    return false;
}

static void
make_etag(const struct stat *st, bool gzip, char out[48])
{
    snprintf(out, 48, "\"%llx-%llx%s\"", (unsigned long long)st->st_size,
             (unsigned long long)st->st_mtim.tv_sec * 1000000000ULL +
                 (unsigned long long)st->st_mtim.tv_nsec,
             gzip ? "-gz" : "");
}

static bool
etag_matches(const char *if_none_match, const char *etag)
{
    if (!if_none_match)
        return false;
    if (strcmp(if_none_match, "*") == 0)
        return true;
    return strstr(if_none_match, etag) != NULL;
}

/* Serve 'rel' (a regular file) into *out, preferring its .gz twin. */
static int
serve(const struct static_site *s, const char *rel, const char *ae, const char *inm,
      struct static_file *out)
{
    const struct mime *m = mime_of(rel);
    char gz[PATH_MAX_BYTES + 4];
    struct stat st;
    int fd = open_file(s, rel, &st), zfd = -1;

    if (fd < 0)
        return -ERR_NOT_FOUND;
    *out = (struct static_file){ .fd = fd,
                                 .size = (uint64_t)st.st_size,
                                 .content_type = m->type,
                                 .compressible = m->compressible };
    out->cache_control =
        strncmp(rel, "assets/", 7) == 0 ? "public, max-age=31536000, immutable" : "no-cache";
    if (m->compressible && static_accepts_gzip(ae) &&
        snprintf(gz, sizeof(gz), "%s.gz", rel) < (int)sizeof(gz) &&
        (zfd = open_file(s, gz, &st)) >= 0) {
        close(fd);
        out->fd = zfd;
        out->size = (uint64_t)st.st_size;
        out->gzip = true;
    }
    make_etag(&st, out->gzip, out->etag);
    if (etag_matches(inm, out->etag)) {
        close(out->fd);
        out->fd = -1;
        out->not_modified = true;
    }
    return 0;
}

/* The page a deep link of a single-page app stands for: the app's index.html
 * (/app/..., /console/...), the portal's for a path without a file extension,
 * none for a missing asset. */
static const char *
fallback_for(const char *rel)
{
    const char *last = strrchr(rel, '/');

    if (strncmp(rel, "app/", 4) == 0 || strcmp(rel, "app") == 0)
        return "app/index.html";
    if (strncmp(rel, "console/", 8) == 0 || strcmp(rel, "console") == 0)
        return "console/index.html";
    if (strncmp(rel, "assets/", 7) == 0 || strchr(last ? last : rel, '.'))
        return NULL;
    return "index.html";
}

int
static_lookup(const struct static_site *s, const char *path, const char *accept_encoding,
              const char *if_none_match, struct static_file *out)
{
    char rel[PATH_MAX_BYTES + 16];
    const char *fallback;
    size_t n;

    if (!safe_relative(path, rel, PATH_MAX_BYTES))
        return -ERR_NOT_FOUND;
    n = strlen(rel);
    if (n == 0 || rel[n - 1] == '/')
        memcpy(rel + n, "index.html", 11);
    if (serve(s, rel, accept_encoding, if_none_match, out) == 0)
        return 0;
    fallback = fallback_for(rel);
    return fallback ? serve(s, fallback, accept_encoding, if_none_match, out) : -ERR_NOT_FOUND;
}
