/* SPDX-License-Identifier: Apache-2.0 */
/* src/tlog/keyfile.c -- see keyfile.h. */
#include "core/compat.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlog/keyfile.h"

#define KEY_TEXT_MAX 512

static int
io_error(struct err *err, const char *path)
{
    return err_set(err, ERR_IO, "tlog_key", "无法读写日志密钥文件 %s:%s",
                   "cannot read or write the log key file %s: %s", path, strerror(errno));
}

/* Write 'text' and a newline to 'path' with 'mode', synced; 'fresh': the file
 * must not exist yet. */
static int
write_file(const char *path, const char *text, mode_t mode, bool fresh, struct err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (fresh ? O_EXCL : O_TRUNC), mode);
    size_t len = strlen(text);
    int rc = 0;

    if (fd < 0)
        return io_error(err, path);
    if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 || fsync(fd) < 0)
        rc = io_error(err, path);
    close(fd);
    return rc;
}

int
tlog_key_ensure(const char *data_dir, const char *origin, bool *created, struct err *err)
{
    char key_path[4200], vkey_path[4200];
    struct tlog_skey k;
    struct sbuf text = SBUF_INIT, vtext = SBUF_INIT;
    int rc;

    *created = false;
    snprintf(key_path, sizeof(key_path), "%s/keys/tlog.key", data_dir);
    snprintf(vkey_path, sizeof(vkey_path), "%s/tlog.vkey", data_dir);
    if (access(key_path, F_OK) == 0)
        return 0;
    rc = tlog_skey_generate(origin, &k, err);
    if (rc == 0) {
        tlog_skey_format(&k, &text);
        tlog_vkey_format(&k.v, &vtext);
        rc = write_file(key_path, text.buf, 0600, true, err);
    }
    if (rc == 0)
        rc = write_file(vkey_path, vtext.buf, 0644, false, err);
    if (rc == 0)
        *created = true;
    sodium_memzero(text.buf, text.len);
    sodium_memzero(&k, sizeof(k));
    sbuf_release(&text);
    sbuf_release(&vtext);
    return rc;
}

int
tlog_key_load(const char *data_dir, struct tlog_skey *out, struct err *err)
{
    char path[4200], text[KEY_TEXT_MAX + 1];
    struct stat st;
    ssize_t n = 0;
    int fd, rc = 0;

    snprintf(path, sizeof(path), "%s/keys/tlog.key", data_dir);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return io_error(err, path);
    if (fstat(fd, &st) < 0 || (n = read(fd, text, KEY_TEXT_MAX)) < 0)
        rc = io_error(err, path);
    else if (!S_ISREG(st.st_mode) || (st.st_mode & (S_IRWXG | S_IRWXO)))
        rc = err_set(err, ERR_UNSAFE_CONFIG, "tlog_key",
                     "日志密钥文件 %s 必须是仅属主可读的普通文件(chmod 600)",
                     "the log key file %s must be a regular file only its owner can read "
                     "(chmod 600)",
                     path);
    close(fd);
    if (rc == 0) {
        text[n] = '\0';
        text[strcspn(text, "\r\n")] = '\0';
        rc = tlog_skey_parse(text, out, err);
    }
    sodium_memzero(text, sizeof(text));
    return rc;
}

int
tlog_witnesses_load(const char *data_dir, struct tlog_vkey *out, int *n, struct err *err)
{
    char path[4200], line[KEY_TEXT_MAX + 2];
    FILE *f;
    int lineno = 0, rc = 0;

    *n = 0;
    snprintf(path, sizeof(path), "%s/tlog.witnesses", data_dir);
    if (!(f = fopen(path, "r")))
        return errno == ENOENT ? 0 : io_error(err, path);
    while (rc == 0 && fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#')
            continue;
        if (*n == TLOG_MAX_WITNESSES)
            rc = err_set(err, ERR_INVALID, "witnesses", "%s 最多 %d 个见证方",
                         "%s lists more than %d witnesses", path, TLOG_MAX_WITNESSES);
        else if (tlog_vkey_parse(line, &out[*n], err) < 0 || out[*n].alg != TLOG_ALG_COSIGNATURE)
            rc = err_set(err, ERR_INVALID, "witnesses", "%s 第 %d 行不是见证方的验证密钥",
                         "%s line %d is not a witness's verifier key", path, lineno);
        else
            (*n)++;
    }
    fclose(f);
    return rc;
}
