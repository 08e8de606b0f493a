/* json.c: a recursive-descent JSON parser producing a tree (see json.h). */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct parser {
    const char *start, *p;
    int failed;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        perror("checker: calloc");
        exit(2);
    }
    return p;
}

static void fail(struct parser *ps, const char *what)
{
    if (!ps->failed)
        fprintf(stderr, "checker: config.json: %s at offset %ld\n", what, (long)(ps->p - ps->start));
    ps->failed = 1;
}

static void skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

/* Appends the UTF-8 encoding of code point `cp` to `out`. */
static char *put_utf8(char *out, unsigned cp)
{
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xc0 | cp >> 6);
        *out++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xe0 | cp >> 12);
        *out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *out++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *out++ = (char)(0xf0 | cp >> 18);
        *out++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *out++ = (char)(0x80 | (cp & 0x3f));
    }
    return out;
}

static unsigned hex4(struct parser *ps)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else { fail(ps, "bad \\u escape"); return 0; }
    }
    return v;
}

/* Reads a string whose opening quote is at ps->p; the decoded text is never longer than the source. */
static char *parse_string(struct parser *ps)
{
    const char *end = ps->p + 1;
    while (*end && *end != '"')
        end += (*end == '\\' && end[1]) ? 2 : 1;
    char *out = xcalloc((size_t)(end - ps->p) + 1, 1), *o = out;
    ps->p++;
    while (!ps->failed && *ps->p != '"') {
        char c = *ps->p++;
        if (c == '\0') { fail(ps, "unterminated string"); break; }
        if (c != '\\') { *o++ = c; continue; }
        switch (c = *ps->p++) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp = hex4(ps);
            if (cp >= 0xd800 && cp < 0xdc00 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                ps->p += 2;
                cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(ps) - 0xdc00);
            }
            o = put_utf8(o, cp);
            break;
        }
        default: *o++ = c; break; /* \" \\ \/ */
        }
    }
    ps->p++;
    return out;
}

static struct json *parse_value(struct parser *ps);

/* Arrays and objects: items collected into a growing list. */
static struct json *parse_container(struct parser *ps, int is_object)
{
    struct json *v = xcalloc(1, sizeof *v);
    v->type = is_object ? JSON_OBJECT : JSON_ARRAY;
    size_t cap = 0;
    char close = is_object ? '}' : ']';
    ps->p++;
    skip_space(ps);
    if (*ps->p == close) { ps->p++; return v; }
    while (!ps->failed) {
        if (v->count == cap) {
            cap = cap ? cap * 2 : 8;
            v->items = realloc(v->items, cap * sizeof *v->items);
            v->keys = realloc(v->keys, cap * sizeof *v->keys);
            if (!v->items || !v->keys) { perror("checker: realloc"); exit(2); }
        }
        skip_space(ps);
        v->keys[v->count] = NULL;
        if (is_object) {
            if (*ps->p != '"') { fail(ps, "expected a member name"); break; }
            v->keys[v->count] = parse_string(ps);
            skip_space(ps);
            if (*ps->p++ != ':') { fail(ps, "expected ':'"); break; }
        }
        v->items[v->count++] = parse_value(ps);
        skip_space(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == close) { ps->p++; break; }
        fail(ps, "expected ',' or a closing bracket");
    }
    return v;
}

static struct json *parse_value(struct parser *ps)
{
    skip_space(ps);
    struct json *v;
    char c = *ps->p;
    if (c == '{' || c == '[')
        return parse_container(ps, c == '{');
    v = xcalloc(1, sizeof *v);
    if (c == '"') {
        v->type = JSON_STRING;
        v->text = parse_string(ps);
    } else if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
        v->type = JSON_BOOL;
        v->boolean = c == 't';
        ps->p += v->boolean ? 4 : 5;
    } else if (strncmp(ps->p, "null", 4) == 0) {
        v->type = JSON_NULL;
        ps->p += 4;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        const char *end = ps->p + 1;
        while (strchr("0123456789.eE+-", *end) && *end)
            end++;
        v->type = JSON_NUMBER;
        v->text = strndup(ps->p, (size_t)(end - ps->p));
        ps->p = end;
    } else {
        fail(ps, "unexpected character");
    }
    return v;
}

struct json *json_parse(const char *text)
{
    struct parser ps = { text, text, 0 };
    struct json *v = parse_value(&ps);
    skip_space(&ps);
    if (*ps.p)
        fail(&ps, "trailing characters");
    return ps.failed ? NULL : v;
}

struct json *json_parse_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "checker: open %s: %m\n", path);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *text = xcalloc(cap, 1);
    size_t n;
    while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            text = realloc(text, cap);
            if (!text) { perror("checker: realloc"); exit(2); }
        }
    }
    fclose(f);
    text[len] = '\0';
    return json_parse(text);
}

const struct json *json_get(const struct json *object, const char *key)
{
    if (!object || object->type != JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < object->count; i++)
        if (strcmp(object->keys[i], key) == 0)
            return object->items[i]->type == JSON_NULL ? NULL : object->items[i];
    return NULL;
}

const struct json *json_path(const struct json *root, const char *dotted)
{
    char name[256];
    const struct json *v = root;
    while (v && *dotted) {
        size_t n = strcspn(dotted, ".");
        if (n >= sizeof name)
            return NULL;
        memcpy(name, dotted, n);
        name[n] = '\0';
        v = json_get(v, name);
        dotted += n + (dotted[n] == '.');
    }
    return v;
}

const char *json_string(const struct json *value)
{
    return value && value->type == JSON_STRING ? value->text : NULL;
}

int json_bool(const struct json *value, int fallback)
{
    return value && value->type == JSON_BOOL ? value->boolean : fallback;
}

int64_t json_int(const struct json *value, int64_t fallback)
{
    return value && value->type == JSON_NUMBER ? strtoll(value->text, NULL, 10) : fallback;
}

uint64_t json_uint(const struct json *value, uint64_t fallback)
{
    return value && value->type == JSON_NUMBER ? strtoull(value->text, NULL, 10) : fallback;
}

size_t json_length(const struct json *array)
{
    return array && array->type == JSON_ARRAY ? array->count : 0;
}

const struct json *json_at(const struct json *array, size_t index)
{
    return index < json_length(array) ? array->items[index] : NULL;
}
