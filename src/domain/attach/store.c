/* SPDX-License-Identifier: Apache-2.0 */
/* src/domain/attach/store.c -- attachments' bytes on disk, by content hash:
 * DATA/attachments/ab/cdef... A file appears under its final name only whole
 * and durable (temporary file, fsync, rename, fsync of the directory), so a
 * crash leaves at worst a stray ".tmp-*" file, never a short attachment. Two
 * uploads of the same bytes racing each other both rename a complete copy of
 * the same content into place; either result is right. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "core/crypto.h"
#include "core/log.h"
#include "core/sbuf.h"
#include "core/xalloc.h"
#include "domain/attach/attach.h"

#define DIR_MODE 0750

struct paths {
    char top[PATH_MAX];  /* DATA/attachments */
    char dir[PATH_MAX];  /* DATA/attachments/ab */
    char file[PATH_MAX]; /* DATA/attachments/ab/cdef... */
};

static int
io_error(struct err *err, const char *what, const char *path)
{
    log_warn(NULL, "attachments: %s %s: %s", what, path, strerror(errno));
    return err_set_text(err, ERR_IO, NULL, "无法保存或读取附件",
                        "cannot store or read the attachment");
}

static int
make_paths(const char *data_dir, const char *hex, struct paths *p, struct err *err)
{
    int a = snprintf(p->top, sizeof(p->top), "%s/attachments", data_dir);
    int b = snprintf(p->dir, sizeof(p->dir), "%s/%.2s", p->top, hex);
    int c = snprintf(p->file, sizeof(p->file), "%s/%s", p->dir, hex + 2);

    if (a < 0 || b < 0 || c < 0 || (size_t)c >= sizeof(p->file))
        return err_set_text(err, ERR_IO, NULL, "数据目录路径过长",
                            "the data directory's path is too long");
    return 0;
}

static int
fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = fsync(fd);
    close(fd);
    return rc;
}

/* mkdir 'path' unless it is there; a new directory is made durable in 'parent'. */
static int
ensure_dir(const char *path, const char *parent, struct err *err)
{
    if (mkdir(path, DIR_MODE) == 0)
        return fsync_dir(parent) < 0 ? io_error(err, "fsync", parent) : 0;
    if (errno == EEXIST)
        return 0;
    return io_error(err, "mkdir", path);
}

static int
write_all(int fd, const unsigned char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Write 'data' to a temporary file in p->dir and rename it to p->file. */
static int
write_file(const struct paths *p, const void *data, size_t len, struct err *err)
{
    char tmp[PATH_MAX];
    int fd, n = snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", p->dir);

    if (n < 0 || (size_t)n >= sizeof(tmp))
        return err_set_text(err, ERR_IO, NULL, "数据目录路径过长",
                            "the data directory's path is too long");
    fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600 */
    if (fd < 0)
        return io_error(err, "create", tmp);
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        io_error(err, "write", tmp);
        close(fd);
        unlink(tmp);
        return -ERR_IO;
    }
    if (close(fd) < 0 || rename(tmp, p->file) < 0) {
        io_error(err, "rename", tmp);
        unlink(tmp);
        return -ERR_IO;
    }
    return fsync_dir(p->dir) < 0 ? io_error(err, "fsync", p->dir) : 0;
}

static void
to_hex(const unsigned char *h, char hex[ATTACH_HEX_CHARS + 1])
{
    static const char digits[] = "0123456789abcdef";

    for (int i = 0; i < ATTACH_HEX_CHARS / 2; i++) {
        hex[2 * i] = digits[h[i] >> 4];
        hex[2 * i + 1] = digits[h[i] & 15];
    }
    hex[ATTACH_HEX_CHARS] = '\0';
}

int
attach_store(const char *data_dir, const void *data, size_t len, char hex[ATTACH_HEX_CHARS + 1],
             struct err *err)
{
    unsigned char h[CRYPTO_HASH_BYTES];
    struct paths *p = xmalloc(sizeof(*p));
    struct stat st;
    int rc;

    _Static_assert(CRYPTO_HASH_BYTES * 2 == ATTACH_HEX_CHARS, "SHA-256 as hex");
    crypto_sha256(data, len, h);
    to_hex(h, hex);
    rc = make_paths(data_dir, hex, p, err);
    if (rc == 0)
        rc = ensure_dir(p->top, data_dir, err);
    if (rc == 0)
        rc = ensure_dir(p->dir, p->top, err);
    if (rc == 0 && !(lstat(p->file, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len))
        rc = write_file(p, data, len, err);
    free(p);
    return rc;
}

/* Read all of 'fd' (a regular file of exactly 'expect' bytes) into 'out'. */
static int
read_exact(int fd, int64_t expect, struct sbuf *out)
{
    struct stat st;
    size_t got = 0;
    char *room;

    if (fstat(fd, &st) < 0)
        return -1;
    if (!S_ISREG(st.st_mode) || st.st_size != expect || expect <= 0 ||
        expect > ATTACH_MAX_BYTES + 1024) {
        errno = EIO; /* not what the database says it is */
        return -1;
    }
    room = sbuf_room(out, (size_t)expect);
    while (room && got < (size_t)expect) {
        ssize_t n = read(fd, room + got, (size_t)expect - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            errno = n == 0 ? EIO : errno;
            return -1;
        }
        got += (size_t)n;
    }
    if (!room) {
        errno = ENOMEM;
        return -1;
    }
    sbuf_commit(out, got);
    return 0;
}

int
attach_load(const char *data_dir, const char *hex, int64_t expect, struct sbuf *out,
            struct err *err)
{
    struct paths *p;
    int fd, rc;

    if (!attach_hex_valid(hex))
        return err_set_text(err, ERR_NOT_FOUND, "sha256", "找不到该附件", "no such attachment");
    p = xmalloc(sizeof(*p));
    rc = make_paths(data_dir, hex, p, err);
    if (rc == 0) {
        fd = open(p->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0 || read_exact(fd, expect, out) < 0)
            rc = io_error(err, "read", p->file);
        if (fd >= 0)
            close(fd);
    }
    free(p);
    return rc;
}
