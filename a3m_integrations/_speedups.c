/* Optional compiled helpers for the complexity signals (module a3m_integrations._speedups).
 *
 * Scanner(words, pairs, entries, ...) holds the words and adjacent-word pairs that
 * `_signal_scan.Scan` looks at. Its scan(norm) reads a normalised text (`_signal_text.normalize`)
 * in one pass, and scan_ascii(text) does the same for an ASCII text, normalising it on the way
 * through the given translate table, without making a Python object per token. Both return
 *
 *   (count, first, pairs, hits, marks, counts, sentences, leads, chars)
 *
 *   count      the number of tokens: runs of characters other than '|' and whitespace (the
 *              characters str.split() splits on);
 *   first      the first token, or None;
 *   pairs      the set of the scanner's pairs found as two adjacent tokens;
 *   hits       {kind: set of entries} over the (kind, entry) pairs `entries` gives the words found;
 *   marks      bit i set when marks[i] occurs as a whole token;
 *   counts     per group, how many of its words were found;
 *   sentences  how many of the first 20 '|'-separated pieces hold a token;
 *   leads      (number, word, piece) for each of those pieces whose first token is a lead word:
 *              its number among the pieces with a token (from 1), that word, the piece's text;
 *   chars      scan_ascii: how many times each of the given chars occurs in the text as given
 *              (before normalising); scan: None.
 *
 * A word is found as a token or as a '-'-separated part of a token (a whole_only word only as a
 * token). Tokens are compared by code point, so any str works (UCS1, UCS2, UCS4). The returned objects
 * hold the given str and tuple objects. Pure Python stays the reference: `_signal_scan` falls
 * back to it when this module is missing or A3M_NO_SPEEDUPS=1, and a test holds the two equal.
 */
#include "_speedups.h"

/* Character classes of the code points below 256 (filled at import). */
#define CLASS_SEPARATOR 1
#define CLASS_HYPHEN 2
#define CLASS_PIPE 4
static unsigned char char_class[256];
#define CLASS_OF(c) ((c) < 256 ? char_class[(c)] : (Py_UNICODE_ISSPACE(c) ? CLASS_SEPARATOR : 0))

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
    void *data; /* written only by the scan_ascii loop, into its own buffer */
    Py_ssize_t count;
    Py_ssize_t first_start, first_end;
    uint32_t marks;
    int32_t prev; /* the previous token's word id, or -1 */
    PyObject *pairs, *hits, *leads;
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

/* A word found: into the group counts (once per scan), its entries into hits. */
static int
found_word(ScanState *st, WordSlot *slot)
{
    ScannerObject *self = st->self;
    if (self->seen[slot->id] == self->generation) {
        return 0;
    }
    self->seen[slot->id] = self->generation;
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
            if (pair != NULL && PySet_Add(st->pairs, pair->pair) < 0) {
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

/* The token loop: character i is READ(i), from the data or, for scan_ascii, from src through
 * the table (the normalised character is written to the data as it is read). */
#define DEFINE_TOKEN_LOOP(NAME, CHAR, READ)                                          \
    static int NAME(ScanState *st, Py_ssize_t n, const Py_UCS1 *src)                \
    {                                                                               \
        CHAR *p = (CHAR *)st->data;                                                 \
        const unsigned char *table = st->self->table;                               \
        (void)src;                                                                  \
        (void)table;                                                                \
        Py_ssize_t i = 0;                                                           \
        while (i < n) {                                                             \
            Py_UCS4 c = READ(i);                                                    \
            unsigned int cls = CLASS_OF(c);                                         \
            if (cls & CLASS_SEPARATOR) {                                            \
                if ((cls & CLASS_PIPE) && end_piece(st, i) < 0) {                   \
                    return -1;                                                      \
                }                                                                   \
                i++;                                                                \
                continue;                                                           \
            }                                                                       \
            Py_ssize_t start = i;                                                   \
            uint64_t h = FNV_OFFSET;                                                \
            unsigned int classes = 0;                                               \
            for (; i < n; i++) {                                                    \
                c = READ(i);                                                        \
                cls = CLASS_OF(c);                                                  \
                if (cls & CLASS_SEPARATOR) {                                        \
                    break;                                                          \
                }                                                                   \
                classes |= cls;                                                     \
                h = (h ^ (uint64_t)c) * FNV_PRIME;                                  \
            }                                                                       \
            if (found_token(st, start, i, h, classes & CLASS_HYPHEN) < 0) {         \
                return -1;                                                          \
            }                                                                       \
        }                                                                           \
        return end_piece(st, n);                                                    \
    }

#define READ_DATA(i) p[(i)]
#define READ_TABLE(i) (p[(i)] = table[src[(i)] & 0x7f])
DEFINE_TOKEN_LOOP(token_loop_ucs1, Py_UCS1, READ_DATA)
DEFINE_TOKEN_LOOP(token_loop_ucs2, Py_UCS2, READ_DATA)
DEFINE_TOKEN_LOOP(token_loop_ucs4, Py_UCS4, READ_DATA)
DEFINE_TOKEN_LOOP(token_loop_ascii, Py_UCS1, READ_TABLE)

/* Scan kind/data/n (a normalised text) and build the result tuple. */
static PyObject *
scan_data(ScannerObject *self, int kind, void *data, Py_ssize_t n, const Py_UCS1 *ascii)
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
    st.pairs = PySet_New(NULL);
    st.hits = PyDict_New();
    st.leads = PyList_New(0);
    if (st.pairs == NULL || st.hits == NULL || st.leads == NULL) {
        goto error;
    }
    int rc = ascii != NULL                  ? token_loop_ascii(&st, n, ascii)
             : kind == PyUnicode_1BYTE_KIND ? token_loop_ucs1(&st, n, NULL)
             : kind == PyUnicode_2BYTE_KIND ? token_loop_ucs2(&st, n, NULL)
                                            : token_loop_ucs4(&st, n, NULL);
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
    PyObject *items[9] = {count, first, st.pairs, st.hits, marks, counts, sentences, st.leads, Py_NewRef(Py_None)};
    for (int k = 0; k < 9; k++) {
        PyTuple_SET_ITEM(result, k, items[k]); /* the tuple takes every reference */
    }
    return result;
error:
    Py_XDECREF(first);
    Py_XDECREF(counts);
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
    /* the loops write to the data only when given an ASCII source (scan_ascii's own buffer) */
    return scan_data(self, PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text), NULL);
}

/* How many times c occurs in s[:n] (memchr first: most of the counted characters are absent). */
static Py_ssize_t
count_char(const Py_UCS1 *s, Py_ssize_t n, unsigned char c)
{
    const Py_UCS1 *at = n ? memchr(s, c, (size_t)n) : NULL;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = at ? at - s : n; i < n; i++) {
        count += s[i] == c;
    }
    return count;
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
    PyObject *result = scan_data(self, PyUnicode_1BYTE_KIND, buf, n, src);
    PyMem_Free(buf);
    PyObject *chars = result ? PyTuple_New(self->nchars) : NULL;
    for (Py_ssize_t k = 0; chars != NULL && k < self->nchars; k++) {
        PyObject *value = PyLong_FromSsize_t(count_char(src, n, self->chars[k]));
        if (value == NULL) {
            Py_CLEAR(chars);
            break;
        }
        PyTuple_SET_ITEM(chars, k, value);
    }
    if (chars == NULL) {
        Py_XDECREF(result);
        return NULL;
    }
    PyObject *none = PyTuple_GET_ITEM(result, 8); /* put by scan_data; the new tuple is ours alone */
    PyTuple_SET_ITEM(result, 8, chars);
    Py_DECREF(none);
    return result;
}

static PyObject *
scanner_sizes(ScannerObject *self, PyObject *Py_UNUSED(ignored))
{
    return Py_BuildValue("(nn)", self->nwords, self->npairs);
}

static PyMethodDef scanner_methods[] = {
    {"scan", (PyCFunction)scanner_scan, METH_O,
     "scan(norm) -> (count, first, pairs, hits, marks, counts, sentences, leads, None) of a normalised text."},
    {"scan_ascii", (PyCFunction)scanner_scan_ascii, METH_O,
     "scan_ascii(text) -> scan(table-normalised text) with the counts of chars in text, for an ASCII text."},
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
