/* Optional compiled helpers for the complexity signals (module a3m_integrations._speedups).
 *
 * Scanner(words, pairs, entries, marks, whole_only).scan(text) reads a normalised text
 * (`_signal_text.normalize`) in one pass and returns what `_signal_scan.Scan` needs from its
 * tokens, without making a Python object per token:
 *
 *   (count, first, vocab, pairs, hits, marks)
 *
 *   count  the number of tokens (runs of characters other than '|' and whitespace, the
 *          characters str.split() splits on);
 *   first  the first token, or None;
 *   vocab  the set of the scanner's words found as a token or as a '-'-separated part of a
 *          token (a whole_only word counts only as a whole token);
 *   pairs  the set of the scanner's pairs found as two adjacent tokens;
 *   hits   {kind: set of entries} over the (kind, entry) pairs that `entries` gives the words
 *          in vocab;
 *   marks  bit i set when marks[i] occurs as a whole token.
 *
 * The tables are given once; the returned sets and dict hold the given str and tuple objects. Tokens
 * are compared by code point, so any str works (UCS1, UCS2, UCS4). Pure Python stays the
 * reference: `_signal_scan` falls back to it when this module is missing or A3M_NO_SPEEDUPS=1.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL
#define MAX_MARKS 32

typedef struct {
    uint64_t hash;
    PyObject *word;    /* owned; NULL marks an empty slot */
    PyObject *entries; /* owned tuple of (kind, entry) str pairs, or NULL */
    int32_t id;
    uint32_t marks;    /* bit i: this word is marks[i] */
    int whole_only;    /* found only as a whole token, never as a part */
} WordSlot;

typedef struct {
    uint64_t key; /* (id of first + 1) << 32 | (id of second + 1); 0 marks an empty slot */
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
    uint32_t *seen;      /* per word id: the generation of the scan that last found it */
    uint32_t generation; /* one per scan: a word is added to a scan's results once */
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
    self->words[i].marks = 0;
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

static int
scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"words", "pairs", "entries", "marks", "whole_only", NULL};
    PyObject *words_arg, *pairs_arg, *entries, *marks_arg = NULL, *whole_arg = NULL;
    PyObject *words = NULL, *pairs = NULL, *marks = NULL, *whole = NULL;
    int result = -1;

    if (self->words != NULL || self->pairs != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner is already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO!|OO:Scanner", kwlist, &words_arg, &pairs_arg, &PyDict_Type,
                                     &entries, &marks_arg, &whole_arg)) {
        return -1;
    }
    words = PySequence_Fast(words_arg, "words must be iterable");
    pairs = words ? PySequence_Fast(pairs_arg, "pairs must be iterable") : NULL;
    marks = pairs ? (marks_arg ? PySequence_Fast(marks_arg, "marks must be iterable") : PyTuple_New(0)) : NULL;
    whole = marks ? (whole_arg ? PySequence_Fast(whole_arg, "whole_only must be iterable") : PyTuple_New(0)) : NULL;
    if (whole == NULL) {
        goto done;
    }
    Py_ssize_t nwords = PySequence_Fast_GET_SIZE(words);
    Py_ssize_t npairs = PySequence_Fast_GET_SIZE(pairs);
    Py_ssize_t nmarks = PySequence_Fast_GET_SIZE(marks);
    if (nwords >= INT32_MAX - 1 || nmarks > MAX_MARKS) {
        PyErr_SetString(PyExc_ValueError, "too many words or marks (at most 32 marks)");
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
    for (Py_ssize_t i = 0; i < nmarks; i++) {
        WordSlot *slot = slot_of(self, PySequence_Fast_GET_ITEM(marks, i), "mark");
        if (slot == NULL) {
            goto done;
        }
        slot->marks |= (uint32_t)1 << i;
    }
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(whole); i++) {
        WordSlot *slot = slot_of(self, PySequence_Fast_GET_ITEM(whole, i), "whole_only word");
        if (slot == NULL) {
            goto done;
        }
        slot->whole_only = 1;
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
        uint64_t key = ((uint64_t)(a->id + 1) << 32) | (uint64_t)(b->id + 1);
        PairSlot *slot = find_pair(self, key);
        if (slot->key == 0) {
            Py_INCREF(pair);
            slot->key = key;
            slot->pair = pair;
            self->npairs++;
        }
    }
    result = 0;
done:
    Py_XDECREF(words);
    Py_XDECREF(pairs);
    Py_XDECREF(marks);
    Py_XDECREF(whole);
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

/* One scan's state: the text, what was found so far, and the sets and dict being built. */
typedef struct {
    ScannerObject *self;
    int kind;
    const void *data;
    Py_ssize_t count;
    uint32_t marks;
    int32_t prev;
    PyObject *vocab, *pairs, *hits;
} ScanState;

/* A word found: into vocab (once per scan) and its entries into hits. */
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
    st->count++;
    WordSlot *slot = find_word(st->self, finish_hash(h), st->kind, st->data, start, end);
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

/* Separators are '|' and what str.split() splits on (Py_UNICODE_ISSPACE). */
#define IS_SEPARATOR(c) ((c) == '|' || Py_UNICODE_ISSPACE(c))

/* The token loop for one storage width; sets first_start and first_end to the first token. */
#define DEFINE_TOKEN_LOOP(NAME, CHAR)                                                                    \
    static int NAME(ScanState *st, Py_ssize_t n, Py_ssize_t *first_start, Py_ssize_t *first_end)        \
    {                                                                                                    \
        const CHAR *p = (const CHAR *)st->data;                                                          \
        Py_ssize_t i = 0;                                                                                \
        while (i < n) {                                                                                  \
            while (i < n && IS_SEPARATOR((Py_UCS4)p[i])) {                                               \
                i++;                                                                                     \
            }                                                                                            \
            if (i >= n) {                                                                                \
                break;                                                                                   \
            }                                                                                            \
            Py_ssize_t start = i;                                                                        \
            uint64_t h = FNV_OFFSET;                                                                     \
            int hyphen = 0;                                                                              \
            for (; i < n; i++) {                                                                         \
                Py_UCS4 c = p[i];                                                                        \
                if (IS_SEPARATOR(c)) {                                                                   \
                    break;                                                                               \
                }                                                                                        \
                hyphen |= c == '-';                                                                      \
                h = (h ^ (uint64_t)c) * FNV_PRIME;                                                       \
            }                                                                                            \
            if (st->count == 0) {                                                                        \
                *first_start = start;                                                                    \
                *first_end = i;                                                                          \
            }                                                                                            \
            if (found_token(st, start, i, h, hyphen) < 0) {                                              \
                return -1;                                                                               \
            }                                                                                            \
        }                                                                                                \
        return 0;                                                                                        \
    }

DEFINE_TOKEN_LOOP(token_loop_ucs1, Py_UCS1)
DEFINE_TOKEN_LOOP(token_loop_ucs2, Py_UCS2)
DEFINE_TOKEN_LOOP(token_loop_ucs4, Py_UCS4)

static PyObject *
scanner_scan(ScannerObject *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "scan() expects str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    if (self->words == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner is not initialised");
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    if (++self->generation == 0) { /* wrapped: forget every mark, start again at 1 */
        memset(self->seen, 0, sizeof(uint32_t) * (size_t)(self->nwords ? self->nwords : 1));
        self->generation = 1;
    }
    ScanState st = {self, PyUnicode_KIND(text), PyUnicode_DATA(text), 0, 0, -1, NULL, NULL, NULL};
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), first_start = 0, first_end = 0;
    PyObject *first = NULL;
    st.vocab = PySet_New(NULL);
    st.pairs = PySet_New(NULL);
    st.hits = PyDict_New();
    if (st.vocab == NULL || st.pairs == NULL || st.hits == NULL) {
        goto error;
    }
    int rc = st.kind == PyUnicode_1BYTE_KIND   ? token_loop_ucs1(&st, n, &first_start, &first_end)
             : st.kind == PyUnicode_2BYTE_KIND ? token_loop_ucs2(&st, n, &first_start, &first_end)
                                               : token_loop_ucs4(&st, n, &first_start, &first_end);
    if (rc < 0) {
        goto error;
    }
    if (st.count == 0) {
        first = Py_NewRef(Py_None);
    }
    else if ((first = PyUnicode_Substring(text, first_start, first_end)) == NULL) {
        goto error;
    }
    PyObject *count = PyLong_FromSsize_t(st.count), *marks = PyLong_FromUnsignedLong(st.marks);
    PyObject *result = (count && marks) ? PyTuple_New(6) : NULL;
    if (result == NULL) {
        Py_XDECREF(count);
        Py_XDECREF(marks);
        goto error;
    }
    PyTuple_SET_ITEM(result, 0, count); /* the tuple takes every reference */
    PyTuple_SET_ITEM(result, 1, first);
    PyTuple_SET_ITEM(result, 2, st.vocab);
    PyTuple_SET_ITEM(result, 3, st.pairs);
    PyTuple_SET_ITEM(result, 4, st.hits);
    PyTuple_SET_ITEM(result, 5, marks);
    return result;
error:
    Py_XDECREF(first);
    Py_XDECREF(st.vocab);
    Py_XDECREF(st.pairs);
    Py_XDECREF(st.hits);
    return NULL;
}

static PyObject *
scanner_sizes(ScannerObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(nn)", self->nwords, self->npairs);
}

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_O,
     "scan(text) -> (count, first, vocab, pairs, marks): the scanner's words and pairs in a normalised text."},
    {"sizes", (PyCFunction)scanner_sizes, METH_NOARGS, "sizes() -> (words, pairs) held by the scanner."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScannerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "a3m_integrations._speedups.Scanner",
    .tp_basicsize = sizeof(ScannerObject),
    .tp_dealloc = (destructor)scanner_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Scanner(words, pairs, marks): finds the given words and adjacent-word pairs in a normalised text.",
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
