/* Optional compiled helpers for the complexity signals (module a3m_integrations._speedups).
 *
 * Scanner(words, pairs, entries, ...) holds the words and adjacent-word pairs that
 * `_signal_scan.Scan` looks at. Its scan(norm) reads a normalised text (`_signal_text.normalize`)
 * in one pass, and scan_ascii(text) does the same for an ASCII text, normalising it on the way
 * through the given translate table, without making a Python object per token. Both return
 *
 *   (count, first, vocab, pairs, hits, marks, counts, sentences, leads)
 *
 *   count      the number of tokens: runs of characters other than '|' and whitespace (the
 *              characters str.split() splits on);
 *   first      the first token, or None;
 *   vocab      the set of the scanner's words found as a token or as a '-'-separated part of a
 *              token (a whole_only word counts only as a whole token);
 *   pairs      the set of the scanner's pairs found as two adjacent tokens;
 *   hits       {kind: set of entries} over the (kind, entry) pairs `entries` gives the words in vocab;
 *   marks      bit i set when marks[i] occurs as a whole token;
 *   counts     per group, how many of its words are in vocab;
 *   sentences  how many of the first 20 '|'-separated pieces hold a token;
 *   leads      (number, word, piece) for each of those pieces whose first token is a lead word:
 *              its number among the pieces with a token (from 1), that word, the piece's text.
 *
 * Tokens are compared by code point, so any str works (UCS1, UCS2, UCS4). The returned objects
 * hold the given str and tuple objects. Pure Python stays the reference: `_signal_scan` falls
 * back to it when this module is missing or A3M_NO_SPEEDUPS=1, and a test holds the two equal.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_MARKS 32
#define MAX_GROUPS 32
#define MAX_SENTENCES 20 /* as `leading_verbs` reads norm.split("|", 20)[:20] */

/* Character classes of the code points below 256 (filled at import). */
#define CLASS_SEPARATOR 1
#define CLASS_HYPHEN 2
#define CLASS_PIPE 4
static unsigned char char_class[256];
#define CLASS_OF(c) ((c) < 256 ? char_class[(c)] : (Py_UNICODE_ISSPACE(c) ? CLASS_SEPARATOR : 0))

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
    unsigned char table[128]; /* scan_ascii: each ASCII character's normalised form */
} ScannerObject;

static inline uint64_t
finish_hash(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint64_t
hash_span(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    uint64_t h = FNV_OFFSET;
    for (Py_ssize_t i = start; i < end; i++) {
        h = (h ^ (uint64_t)PyUnicode_READ(kind, data, i)) * FNV_PRIME;
    }
    return finish_hash(h);
}

static int
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

static WordSlot *
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

static PairSlot *
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

static size_t
table_size(Py_ssize_t n)
{
    size_t size = 8;
    while (size < (size_t)n * 2 + 1) {
        size <<= 1;
    }
    return size;
}

static WordSlot *
lookup_str(ScannerObject *self, PyObject *s)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int kind = PyUnicode_KIND(s);
    const void *data = PyUnicode_DATA(s);
    return find_word(self, hash_span(kind, data, 0, n), kind, data, 0, n);
}

/* Insert one word (an exact str); duplicates are skipped. */
static int
add_word(ScannerObject *self, PyObject *word)
{
    if (!PyUnicode_CheckExact(word)) {
        PyErr_SetString(PyExc_TypeError, "Scanner words must be str");
        return -1;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    int kind = PyUnicode_KIND(word);
    const void *data = PyUnicode_DATA(word);
    uint64_t h = hash_span(kind, data, 0, n);
    size_t i = (size_t)h & self->words_mask;
    while (self->words[i].word != NULL) {
        if (self->words[i].hash == h && span_equals(self->words[i].word, kind, data, 0, n)) {
            return 0;
        }
        i = (i + 1) & self->words_mask;
    }
    Py_INCREF(word);
    self->words[i].word = word;
    self->words[i].hash = h;
    self->words[i].id = (int32_t)self->nwords++;
    return 0;
}

/* The slot of `word` (one of the words), or NULL with a ValueError set. */
static WordSlot *
slot_of(ScannerObject *self, PyObject *word, const char *what)
{
    WordSlot *slot = PyUnicode_CheckExact(word) ? lookup_str(self, word) : NULL;
    if (slot == NULL) {
        PyErr_Format(PyExc_ValueError, "every %s must be one of the words", what);
    }
    return slot;
}

/* entries: (kind, entry) pairs of str, as a tuple; 0 if valid. */
static int
check_entries(PyObject *entries)
{
    if (!PyTuple_CheckExact(entries)) {
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(entries); k++) {
        PyObject *item = PyTuple_GET_ITEM(entries, k);
        if (!PyTuple_CheckExact(item) || PyTuple_GET_SIZE(item) != 2 || !PyUnicode_CheckExact(PyTuple_GET_ITEM(item, 0))
            || !PyUnicode_CheckExact(PyTuple_GET_ITEM(item, 1))) {
            return -1;
        }
    }
    return 0;
}

/* Flag the words of one argument (a sequence of str, each one of the words). */
static int
flag_words(ScannerObject *self, PyObject *arg, const char *what, int field, uint32_t bit)
{
    PyObject *seq = PySequence_Fast(arg, "expected a sequence of str");
    if (seq == NULL) {
        return -1;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        WordSlot *slot = slot_of(self, PySequence_Fast_GET_ITEM(seq, i), what);
        if (slot == NULL) {
            Py_DECREF(seq);
            return -1;
        }
        if (field == 0) {
            slot->marks |= (uint32_t)1 << i;
        }
        else if (field == 1) {
            slot->whole_only = 1;
        }
        else if (field == 2) {
            slot->lead = 1;
        }
        else {
            slot->groups |= bit;
        }
    }
    Py_DECREF(seq);
    return 0;
}

static int
scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"words", "pairs", "entries", "marks", "whole_only", "groups", "leads", "table", NULL};
    PyObject *words_arg, *pairs_arg, *entries, *marks = NULL, *whole = NULL, *groups_arg = NULL, *leads = NULL;
    Py_buffer table = {0};
    PyObject *words = NULL, *pairs = NULL, *groups = NULL;
    int result = -1;

    if (self->words != NULL || self->pairs != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner is already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO!|OOOOy*:Scanner", kwlist, &words_arg, &pairs_arg, &PyDict_Type,
                                     &entries, &marks, &whole, &groups_arg, &leads, &table)) {
        return -1;
    }
    if (table.buf != NULL) {
        const unsigned char *t = table.buf;
        if (table.len != 256) {
            PyErr_SetString(PyExc_ValueError, "table must be 256 bytes");
            goto done;
        }
        for (int c = 0; c < 128; c++) {
            if (t[c] >= 128) {
                PyErr_SetString(PyExc_ValueError, "table must map ASCII to ASCII");
                goto done;
            }
            self->table[c] = t[c];
        }
        self->has_table = 1;
    }
    words = PySequence_Fast(words_arg, "words must be iterable");
    pairs = words ? PySequence_Fast(pairs_arg, "pairs must be iterable") : NULL;
    groups = pairs ? (groups_arg ? PySequence_Fast(groups_arg, "groups must be a sequence") : PyTuple_New(0)) : NULL;
    if (groups == NULL) {
        goto done;
    }
    Py_ssize_t nwords = PySequence_Fast_GET_SIZE(words);
    Py_ssize_t npairs = PySequence_Fast_GET_SIZE(pairs);
    self->ngroups = PySequence_Fast_GET_SIZE(groups);
    if (nwords >= INT32_MAX - 1 || self->ngroups > MAX_GROUPS || (marks && PyObject_Length(marks) > MAX_MARKS)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "too many words, marks or groups (at most 32 marks and 32 groups)");
        }
        goto done;
    }
    self->words_mask = table_size(nwords) - 1;
    self->words = PyMem_Calloc(self->words_mask + 1, sizeof(WordSlot));
    self->pairs_mask = table_size(npairs) - 1;
    self->pairs = PyMem_Calloc(self->pairs_mask + 1, sizeof(PairSlot));
    self->seen = PyMem_Calloc((size_t)(nwords ? nwords : 1), sizeof(uint32_t));
    if (self->words == NULL || self->pairs == NULL || self->seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nwords; i++) {
        if (add_word(self, PySequence_Fast_GET_ITEM(words, i)) < 0) {
            goto done;
        }
    }
    if ((marks && flag_words(self, marks, "mark", 0, 0) < 0) || (whole && flag_words(self, whole, "whole_only word", 1, 0) < 0)
        || (leads && flag_words(self, leads, "lead word", 2, 0) < 0)) {
        goto done;
    }
    for (Py_ssize_t g = 0; g < self->ngroups; g++) {
        if (flag_words(self, PySequence_Fast_GET_ITEM(groups, g), "word of a group", 3, (uint32_t)1 << g) < 0) {
            goto done;
        }
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(entries, &pos, &key, &value)) {
        WordSlot *slot = slot_of(self, key, "key of entries");
        if (slot == NULL) {
            goto done;
        }
        if (check_entries(value) < 0) {
            PyErr_SetString(PyExc_TypeError, "entries must map a word to a tuple of (kind, entry) str pairs");
            goto done;
        }
        Py_INCREF(value);
        Py_XSETREF(slot->entries, value);
    }
    for (Py_ssize_t i = 0; i < npairs; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(pairs, i);
        if (!PyTuple_CheckExact(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "pairs must be tuples of two str");
            goto done;
        }
        WordSlot *a = slot_of(self, PyTuple_GET_ITEM(pair, 0), "word of a pair");
        WordSlot *b = a ? slot_of(self, PyTuple_GET_ITEM(pair, 1), "word of a pair") : NULL;
        if (b == NULL) {
            goto done;
        }
        uint64_t pair_key = ((uint64_t)(a->id + 1) << 32) | (uint64_t)(b->id + 1);
        PairSlot *slot = find_pair(self, pair_key);
        if (slot->key == 0) {
            Py_INCREF(pair);
            slot->key = pair_key;
            slot->pair = pair;
            self->npairs++;
        }
    }
    result = 0;
done:
    if (table.buf != NULL) {
        PyBuffer_Release(&table);
    }
    Py_XDECREF(words);
    Py_XDECREF(pairs);
    Py_XDECREF(groups);
    return result;
}

static void
scanner_clear_tables(ScannerObject *self)
{
    if (self->words != NULL) {
        for (size_t i = 0; i <= self->words_mask; i++) {
            Py_XDECREF(self->words[i].word);
            Py_XDECREF(self->words[i].entries);
        }
        PyMem_Free(self->words);
        self->words = NULL;
    }
    if (self->pairs != NULL) {
        for (size_t i = 0; i <= self->pairs_mask; i++) {
            Py_XDECREF(self->pairs[i].pair);
        }
        PyMem_Free(self->pairs);
        self->pairs = NULL;
    }
    PyMem_Free(self->seen);
    self->seen = NULL;
}

static void
scanner_dealloc(ScannerObject *self)
{
    scanner_clear_tables(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* One scan's state: the text, what was found so far, and the objects being built. */
typedef struct {
    ScannerObject *self;
    int kind;
    const void *data;
    Py_ssize_t count;
    Py_ssize_t first_start, first_end;
    uint32_t marks;
    int32_t prev; /* the previous token's word id, or -1 */
    PyObject *vocab, *pairs, *hits, *leads;
    Py_ssize_t counts[MAX_GROUPS];
    Py_ssize_t piece;       /* index of the current '|'-separated piece */
    Py_ssize_t piece_start; /* where it starts */
    int piece_has_token;
    Py_ssize_t sentences;   /* pieces with a token among the first MAX_SENTENCES */
    WordSlot *lead;         /* the current piece's first token, if it is a lead word */
} ScanState;

/* text[start:end] of the scanned data as a new str. */
static PyObject *
span_str(ScanState *st, Py_ssize_t start, Py_ssize_t end)
{
    return PyUnicode_FromKindAndData(st->kind, (const char *)st->data + start * st->kind, end - start);
}

/* A word found: into vocab and the group counts (once per scan), its entries into hits. */
static int
found_word(ScanState *st, WordSlot *slot)
{
    ScannerObject *self = st->self;
    if (self->seen[slot->id] == self->generation) {
        return 0;
    }
    self->seen[slot->id] = self->generation;
    if (PySet_Add(st->vocab, slot->word) < 0) {
        return -1;
    }
    uint32_t groups = slot->groups;
    for (int g = 0; groups != 0; g++, groups >>= 1) {
        st->counts[g] += groups & 1;
    }
    if (slot->entries == NULL) {
        return 0;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(slot->entries); k++) {
        PyObject *item = PyTuple_GET_ITEM(slot->entries, k);
        PyObject *kind = PyTuple_GET_ITEM(item, 0), *entry = PyTuple_GET_ITEM(item, 1);
        PyObject *set = PyDict_GetItemWithError(st->hits, kind); /* borrowed */
        if (set == NULL) {
            if (PyErr_Occurred() || (set = PySet_New(NULL)) == NULL) {
                return -1;
            }
            int rc = PyDict_SetItem(st->hits, kind, set);
            Py_DECREF(set); /* the dict holds it */
            if (rc < 0) {
                return -1;
            }
        }
        if (PySet_Add(set, entry) < 0) {
            return -1;
        }
    }
    return 0;
}

/* The words among the '-'-separated parts of text[start:end] (bar whole-only words). */
static int
found_parts(ScanState *st, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t part = start;
    for (Py_ssize_t i = start; i <= end; i++) {
        if (i == end || PyUnicode_READ(st->kind, st->data, i) == '-') {
            uint64_t h = hash_span(st->kind, st->data, part, i);
            WordSlot *slot = find_word(st->self, h, st->kind, st->data, part, i);
            if (slot != NULL && !slot->whole_only && found_word(st, slot) < 0) {
                return -1;
            }
            part = i + 1;
        }
    }
    return 0;
}

/* One token text[start:end] with its unfinished hash. */
static int
found_token(ScanState *st, Py_ssize_t start, Py_ssize_t end, uint64_t h, int hyphen)
{
    if (st->count++ == 0) {
        st->first_start = start;
        st->first_end = end;
    }
    WordSlot *slot = find_word(st->self, finish_hash(h), st->kind, st->data, start, end);
    if (!st->piece_has_token) {
        st->piece_has_token = 1;
        if (st->piece < MAX_SENTENCES) {
            st->sentences++;
            st->lead = (slot != NULL && slot->lead) ? slot : NULL;
        }
    }
    int32_t id = -1;
    if (slot != NULL) {
        id = slot->id;
        st->marks |= slot->marks;
        if (found_word(st, slot) < 0) {
            return -1;
        }
        if (st->prev >= 0) {
            PairSlot *pair = find_pair(st->self, ((uint64_t)(st->prev + 1) << 32) | (uint64_t)(id + 1));
            if (pair->key != 0 && PySet_Add(st->pairs, pair->pair) < 0) {
                return -1;
            }
        }
    }
    st->prev = id;
    return hyphen ? found_parts(st, start, end) : 0;
}

/* The current piece ends at `end` (a '|' or the end of the text): list it if it opens with a lead word. */
static int
end_piece(ScanState *st, Py_ssize_t end)
{
    if (st->lead != NULL) {
        PyObject *number = PyLong_FromSsize_t(st->sentences);
        PyObject *piece = number ? span_str(st, st->piece_start, end) : NULL;
        PyObject *item = piece ? PyTuple_New(3) : NULL;
        if (item == NULL) {
            Py_XDECREF(number);
            Py_XDECREF(piece);
            return -1;
        }
        PyTuple_SET_ITEM(item, 0, number);
        PyTuple_SET_ITEM(item, 1, Py_NewRef(st->lead->word));
        PyTuple_SET_ITEM(item, 2, piece);
        int rc = PyList_Append(st->leads, item);
        Py_DECREF(item);
        if (rc < 0) {
            return -1;
        }
        st->lead = NULL;
    }
    st->piece++;
    st->piece_start = end + 1;
    st->piece_has_token = 0;
    return 0;
}

/* The token loop for one storage width. */
#define DEFINE_TOKEN_LOOP(NAME, CHAR)                                                 \
    static int NAME(ScanState *st, Py_ssize_t n)                                     \
    {                                                                                 \
        const CHAR *p = (const CHAR *)st->data;                                       \
        Py_ssize_t i = 0;                                                             \
        while (i < n) {                                                               \
            Py_UCS4 c = p[i];                                                         \
            unsigned int cls = CLASS_OF(c);                                           \
            if (cls & CLASS_SEPARATOR) {                                              \
                if ((cls & CLASS_PIPE) && end_piece(st, i) < 0) {                     \
                    return -1;                                                        \
                }                                                                     \
                i++;                                                                  \
                continue;                                                             \
            }                                                                         \
            Py_ssize_t start = i;                                                     \
            uint64_t h = FNV_OFFSET;                                                  \
            unsigned int classes = 0;                                                 \
            for (; i < n; i++) {                                                      \
                c = p[i];                                                             \
                cls = CLASS_OF(c);                                                    \
                if (cls & CLASS_SEPARATOR) {                                          \
                    break;                                                            \
                }                                                                     \
                classes |= cls;                                                       \
                h = (h ^ (uint64_t)c) * FNV_PRIME;                                    \
            }                                                                         \
            if (found_token(st, start, i, h, classes & CLASS_HYPHEN) < 0) {           \
                return -1;                                                            \
            }                                                                         \
        }                                                                             \
        return end_piece(st, n);                                                      \
    }

DEFINE_TOKEN_LOOP(token_loop_ucs1, Py_UCS1)
DEFINE_TOKEN_LOOP(token_loop_ucs2, Py_UCS2)
DEFINE_TOKEN_LOOP(token_loop_ucs4, Py_UCS4)

/* Scan kind/data/n (a normalised text) and build the result tuple. */
static PyObject *
scan_data(ScannerObject *self, int kind, const void *data, Py_ssize_t n)
{
    if (self->words == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner is not initialised");
        return NULL;
    }
    if (++self->generation == 0) { /* wrapped: forget every mark, start again at 1 */
        memset(self->seen, 0, sizeof(uint32_t) * (size_t)(self->nwords ? self->nwords : 1));
        self->generation = 1;
    }
    ScanState st;
    memset(&st, 0, sizeof(st));
    st.self = self;
    st.kind = kind;
    st.data = data;
    st.prev = -1;
    PyObject *first = NULL, *counts = NULL, *result = NULL;
    st.vocab = PySet_New(NULL);
    st.pairs = PySet_New(NULL);
    st.hits = PyDict_New();
    st.leads = PyList_New(0);
    if (st.vocab == NULL || st.pairs == NULL || st.hits == NULL || st.leads == NULL) {
        goto error;
    }
    int rc = kind == PyUnicode_1BYTE_KIND   ? token_loop_ucs1(&st, n)
             : kind == PyUnicode_2BYTE_KIND ? token_loop_ucs2(&st, n)
                                            : token_loop_ucs4(&st, n);
    if (rc < 0) {
        goto error;
    }
    first = st.count ? span_str(&st, st.first_start, st.first_end) : Py_NewRef(Py_None);
    counts = first ? PyTuple_New(self->ngroups) : NULL;
    if (counts == NULL) {
        goto error;
    }
    for (Py_ssize_t g = 0; g < self->ngroups; g++) {
        PyObject *value = PyLong_FromSsize_t(st.counts[g]);
        if (value == NULL) {
            goto error;
        }
        PyTuple_SET_ITEM(counts, g, value);
    }
    PyObject *count = PyLong_FromSsize_t(st.count), *marks = PyLong_FromUnsignedLong(st.marks);
    PyObject *sentences = PyLong_FromSsize_t(st.sentences);
    result = (count && marks && sentences) ? PyTuple_New(9) : NULL;
    if (result == NULL) {
        Py_XDECREF(count);
        Py_XDECREF(marks);
        Py_XDECREF(sentences);
        goto error;
    }
    PyObject *items[9] = {count, first, st.vocab, st.pairs, st.hits, marks, counts, sentences, st.leads};
    for (int k = 0; k < 9; k++) {
        PyTuple_SET_ITEM(result, k, items[k]); /* the tuple takes every reference */
    }
    return result;
error:
    Py_XDECREF(first);
    Py_XDECREF(counts);
    Py_XDECREF(st.vocab);
    Py_XDECREF(st.pairs);
    Py_XDECREF(st.hits);
    Py_XDECREF(st.leads);
    return NULL;
}

static int
check_str(PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "expected str, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return -1;
    }
#endif
    return 0;
}

static PyObject *
scanner_scan(ScannerObject *self, PyObject *text)
{
    if (check_str(text) < 0) {
        return NULL;
    }
    return scan_data(self, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text));
}

static PyObject *
scanner_scan_ascii(ScannerObject *self, PyObject *text)
{
    if (check_str(text) < 0) {
        return NULL;
    }
    if (!self->has_table || !PyUnicode_IS_ASCII(text)) {
        PyErr_SetString(PyExc_ValueError, "scan_ascii() needs an ASCII str and a Scanner built with a table");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const Py_UCS1 *src = PyUnicode_1BYTE_DATA(text);
    Py_UCS1 *buf = PyMem_Malloc((size_t)(n ? n : 1));
    if (buf == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        buf[i] = self->table[src[i] & 0x7f];
    }
    PyObject *result = scan_data(self, PyUnicode_1BYTE_KIND, buf, n);
    PyMem_Free(buf);
    return result;
}

static PyObject *
scanner_sizes(ScannerObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(nn)", self->nwords, self->npairs);
}

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_O,
     "scan(norm) -> (count, first, vocab, pairs, hits, marks, counts, sentences, leads) of a normalised text."},
    {"scan_ascii", (PyCFunction)scanner_scan_ascii, METH_O,
     "scan_ascii(text) -> scan(table-normalised text), for an ASCII text."},
    {"sizes", (PyCFunction)scanner_sizes, METH_NOARGS, "sizes() -> (words, pairs) held by the scanner."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "a3m_integrations._speedups.Scanner",
    .tp_basicsize = sizeof(ScannerObject),
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(words, pairs, entries, marks=(), whole_only=(), groups=(), leads=(), table=None)",
    .tp_methods = scanner_methods,
    .tp_init = (initproc)scanner_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "a3m_integrations._speedups",
    .m_doc = "Optional compiled helpers for the complexity signals; pure Python is the reference.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    for (Py_UCS4 c = 0; c < 256; c++) {
        char_class[c] = (unsigned char)((c == '|' || Py_UNICODE_ISSPACE(c) ? CLASS_SEPARATOR : 0)
                                        | (c == '-' ? CLASS_HYPHEN : 0) | (c == '|' ? CLASS_PIPE : 0));
    }
    if (PyType_Ready(&ScannerType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&speedups_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&ScannerType);
    if (PyModule_AddObject(module, "Scanner", (PyObject *)&ScannerType) < 0) {
        Py_DECREF(&ScannerType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
