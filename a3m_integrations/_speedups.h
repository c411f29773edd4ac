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
    PyObject *word;    /* owned */
    PyObject *entries; /* owned tuple of (kind, entry) str pairs, or NULL */
    int32_t id;
    uint32_t marks;    /* bit i: this word is marks[i] */
    uint32_t groups;   /* bit i: this word is in groups[i] */
    uint8_t whole_only; /* found only as a whole token, never as a part */
    uint8_t lead;       /* a piece opening with it is listed in leads */
} WordSlot;

typedef struct {
    uint64_t key;   /* (id of first + 1) << 32 | (id of second + 1) */
    PyObject *pair; /* owned */
} PairSlot;

/* Words and pairs are kept densely (by id, in order of arrival) and found through small
 * open-addressing indexes: a word index entry is the hash's top 32 bits | (id + 1), a pair
 * index entry is id + 1; 0 marks an empty entry. The indexes stay in cache; a slot is read
 * only when its hash matches. */
#define TAG(h) ((h) & 0xFFFFFFFF00000000ULL)

typedef struct {
    PyObject_HEAD
    WordSlot *words;      /* nwords slots, by id */
    uint64_t *word_index; /* words_mask + 1 entries */
    size_t words_mask;
    Py_ssize_t nwords;
    PairSlot *pairs;      /* npairs slots, by id */
    uint32_t *pair_index; /* pairs_mask + 1 entries */
    size_t pairs_mask;
    Py_ssize_t npairs;
    Py_ssize_t ngroups;
    uint32_t *seen;      /* per word id: the generation of the scan that last found it */
    uint32_t generation; /* one per scan: a word is added to a scan's results once */
    int has_table;
    unsigned char table[128];     /* scan_ascii: each ASCII character's normalised form */
    unsigned char chars[MAX_CHARS]; /* scan_ascii: the characters counted */
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
    for (size_t i = (size_t)h & self->words_mask;; i = (i + 1) & self->words_mask) {
        uint64_t entry = self->word_index[i];
        if (entry == 0) {
            return NULL;
        }
        if (TAG(entry) == TAG(h)) {
            WordSlot *slot = &self->words[(entry & 0xFFFFFFFFU) - 1];
            if (span_equals(slot->word, kind, data, start, end - start)) {
                return slot;
            }
        }
    }
}

/* The index entry where `key` is, or the empty one where it would go. */
static inline uint32_t *
pair_entry(ScannerObject *self, uint64_t key)
{
    for (size_t i = (size_t)finish_hash(key) & self->pairs_mask;; i = (i + 1) & self->pairs_mask) {
        uint32_t *entry = &self->pair_index[i];
        if (*entry == 0 || self->pairs[*entry - 1].key == key) {
            return entry;
        }
    }
}

static inline PairSlot *
find_pair(ScannerObject *self, uint64_t key)
{
    uint32_t entry = *pair_entry(self, key);
    return entry ? &self->pairs[entry - 1] : NULL;
}

#endif /* A3M_SPEEDUPS_H */
