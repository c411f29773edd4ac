/* Shared by _speedups.c (scanning) and _speedups_tables.c (building the tables). */
#ifndef A3M_SPEEDUPS_H
#define A3M_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_MARKS 32
#define MAX_GROUPS 32
#define MAX_CHARS 16
#define MAX_SENTENCES 20 /* as `leading_verbs` reads norm.split("|", 20)[:20] */

typedef struct {
    uint64_t hash;
    PyObject *word;    /* owned; NULL marks an empty slot */
    PyObject *entries; /* owned tuple of (kind, entry) str pairs, or NULL */
    int32_t id;
    uint32_t marks;    /* bit i: this word is marks[i] */
    uint32_t groups;   /* bit i: this word is in groups[i] */
    uint8_t whole_only; /* found only as a whole token, never as a part */
    uint8_t lead;       /* a piece opening with it is listed in leads */
} WordSlot;

typedef struct {
    uint64_t key;   /* (id of first + 1) << 32 | (id of second + 1); 0 marks an empty slot */
    PyObject *pair; /* owned */
} PairSlot;

typedef struct {
    PyObject_HEAD
    WordSlot *words;
    size_t words_mask;
    Py_ssize_t nwords;
    PairSlot *pairs;
    size_t pairs_mask;
    Py_ssize_t npairs;
    Py_ssize_t ngroups;
    uint32_t *seen;      /* per word id: the generation of the scan that last found it */
    uint32_t generation; /* one per scan: a word is added to a scan's results once */
    int has_table;
    unsigned char table[128];     /* scan_ascii: each ASCII character's normalised form */
    unsigned char char_slot[128]; /* scan_ascii: 1 + the index in chars of a counted character, else 0 */
    Py_ssize_t nchars;
} ScannerObject;

/* Built by scanner_init (_speedups_tables.c), freed by scanner_clear_tables. */
int scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds);
void scanner_clear_tables(ScannerObject *self);

/* FNV-1a over code points, then mixed: the same for a table word and a token of any width. */
static inline uint64_t
finish_hash(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static inline uint64_t
hash_span(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = start; i < end; i++) {
        h = (h ^ (uint64_t)PyUnicode_READ(kind, data, i)) * FNV_PRIME;
    }
    return finish_hash(h);
}

static inline int
span_equals(PyObject *word, int kind, const void *data, Py_ssize_t start, Py_ssize_t len)
{
    if (PyUnicode_GET_LENGTH(word) != len) {
        return 0;
    }
    int wkind = PyUnicode_KIND(word);
    const void *wdata = PyUnicode_DATA(word);
    if (wkind == kind) {
        return memcmp(wdata, (const char *)data + start * kind, (size_t)len * (size_t)kind) == 0;
    }
    for (Py_ssize_t i = 0; i < len; i++) {
        if (PyUnicode_READ(wkind, wdata, i) != PyUnicode_READ(kind, data, start + i)) {
            return 0;
        }
    }
    return 1;
}

static inline WordSlot *
find_word(ScannerObject *self, uint64_t h, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    size_t i = (size_t)h & self->words_mask;
    for (;;) {
        WordSlot *slot = &self->words[i];
        if (slot->word == NULL) {
            return NULL;
        }
        if (slot->hash == h && span_equals(slot->word, kind, data, start, end - start)) {
            return slot;
        }
        i = (i + 1) & self->words_mask;
    }
}

static inline PairSlot *
find_pair(ScannerObject *self, uint64_t key)
{
    size_t i = (size_t)finish_hash(key) & self->pairs_mask;
    for (;;) {
        PairSlot *slot = &self->pairs[i];
        if (slot->key == 0 || slot->key == key) {
            return slot;
        }
        i = (i + 1) & self->pairs_mask;
    }
}

#endif /* A3M_SPEEDUPS_H */
