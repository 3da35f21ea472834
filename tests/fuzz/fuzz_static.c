/* SPDX-License-Identifier: Apache-2.0 */
/* tests/fuzz/fuzz_static.c -- libFuzzer target for the web front end's file
 * lookup (http/static.c): static_lookup on a small site made at start-up (with
 * a file outside it, a symlink pointing there and a hidden file), and
 * static_accepts_gzip. Input layout: the path up to the first '\n', then the
 * Accept-Encoding value (each cut at an embedded NUL, as a C string from
 * libmicrohttpd would be). Besides "no crash, no leak, no UB" it checks that
 * every file it hands out lies inside the site and is never the hidden file.
 * Built by scripts/fuzz.sh. */
#include "core/compat.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/static.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct static_site *site;
static char root[64];

static void
fail(const char *what)
{
    fprintf(stderr, "fuzz_static: %s\n", what);
    abort();
}

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    if (!f)
        fail("cannot write the site");
    fputs(text, f);
    fclose(f);
}

static void
put(const char *rel, const char *text)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    write_file(path, text);
}

/* The files make_site writes, removed at exit (deepest first). */
static const char *const made[] = { "assets/link.js", "assets/a-1.js.gz",
                                    "assets/a-1.js",  "app/index.html",
                                    "index.html",     ".secret",
                                    "assets",         "app" };

static void
remove_site(void)
{
    char path[256];

    for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", root, made[i]);
        remove(path);
    }
    snprintf(path, sizeof(path), "%s-outside", root);
    remove(path);
    remove(root);
}

static void
make_site(void)
{
    char path[256], outside[256];
    struct err e = ERR_INIT;

    snprintf(root, sizeof(root), "/tmp/xz-fuzz-static-XXXXXX");
    if (!mkdtemp(root))
        fail("mkdtemp");
    snprintf(outside, sizeof(outside), "%s-outside", root);
    put("index.html", "portal");
    snprintf(path, sizeof(path), "%s/app", root);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/assets", root);
    mkdir(path, 0755);
    put("app/index.html", "app");
    put("assets/a-1.js", "js");
    put("assets/a-1.js.gz", "gz");
    put(".secret", "hidden");
    write_file(outside, "outside");
    snprintf(path, sizeof(path), "%s/assets/link.js", root);
    if (symlink(outside, path) < 0)
        fail("symlink");
    atexit(remove_site);
    if (static_open(root, &site, &e) < 0)
        fail(e.en);
}

/* The file behind 'fd' must be under the root and not the hidden one. */
static void
check_inside(int fd)
{
    char link[64], target[4096];
    ssize_t n;

    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    n = readlink(link, target, sizeof(target) - 1);
    if (n < 0)
        fail("readlink");
    target[n] = '\0';
    if (strncmp(target, root, strlen(root)) != 0 || target[strlen(root)] != '/')
        fail("a file outside the site was served");
    if (strstr(target, "/."))
        fail("a hidden file was served");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *nl, *ae = NULL;
    struct static_file f;

    if (!site)
        make_site();
    memcpy(text, data, size);
    text[size] = '\0';
    nl = strchr(text, '\n');
    if (nl) {
        *nl = '\0';
        ae = nl + 1;
    }
    (void)static_accepts_gzip(ae);
    if (static_lookup(site, text, ae, NULL, &f) == 0) {
        if (f.fd < 0)
            fail("a found file without an fd");
        check_inside(f.fd);
        if (f.gzip && !static_accepts_gzip(ae))
            fail("gzip sent to a client that does not take it");
        close(f.fd);
    }
    free(text);
    return 0;
}
