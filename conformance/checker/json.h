/* json.h: a small JSON reader for the conformance checker.
 *
 * The checker is a static binary inside a busybox rootfs, so it cannot lean on
 * a JSON library. config.json is small and trusted (the suite wrote it), so a
 * whole-document tree with no streaming and no error recovery is enough. */
#ifndef CHECKER_JSON_H
#define CHECKER_JSON_H

#include <stddef.h>
#include <stdint.h>

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
    enum json_type type;
    int boolean;
    char *text;          /* a string's decoded text, or a number as written (for 64-bit values) */
    size_t count;        /* number of items or members */
    struct json **items; /* array items, or object member values */
    char **keys;         /* object member names, parallel to items */
};

/* Parses a whole document; on error prints where and returns NULL. */
struct json *json_parse(const char *text);
struct json *json_parse_file(const char *path);

/* Member of an object, or NULL when absent, null, or `object` is not an object. */
const struct json *json_get(const struct json *object, const char *key);
/* Follows a dotted path of member names: json_path(config, "process.user.uid"). */
const struct json *json_path(const struct json *root, const char *dotted);

const char *json_string(const struct json *value);          /* NULL unless a string */
int json_bool(const struct json *value, int fallback);
/* A number as a signed or unsigned 64-bit integer; `fallback` when absent or not a number. */
int64_t json_int(const struct json *value, int64_t fallback);
uint64_t json_uint(const struct json *value, uint64_t fallback);
size_t json_length(const struct json *array);              /* 0 unless an array */
const struct json *json_at(const struct json *array, size_t index);

#endif
