/* Building a Scanner's tables: the words (open addressing by hash), their flags, entries and
 * groups, and the adjacent-word pairs (keyed by the two word ids). See _speedups.c. */
#include "_speedups.h"

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
    for (; self->word_index[i] != 0; i = (i + 1) & self->words_mask) {
        uint64_t entry = self->word_index[i];
        if (TAG(entry) == TAG(h) && span_equals(self->words[(entry & 0xFFFFFFFFU) - 1].word, kind, data, 0, n)) {
            return 0;
        }
    }
    WordSlot *slot = &self->words[self->nwords]; /* zeroed; fewer words than the words given */
    slot->word = Py_NewRef(word);
    slot->id = (int32_t)self->nwords++;
    self->word_index[i] = TAG(h) | (uint64_t)(slot->id + 1);
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

int
scanner_init(ScannerObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"words",  "pairs", "entries", "marks", "whole_only",
                             "groups", "leads", "table",   "chars", NULL};
    PyObject *words_arg, *pairs_arg, *entries, *marks = NULL, *whole = NULL, *groups_arg = NULL, *leads = NULL;
    Py_buffer table = {0};
    const char *chars = "";
    Py_ssize_t nchars = 0;
    PyObject *words = NULL, *pairs = NULL, *groups = NULL;
    int result = -1;

    if (self->words != NULL || self->pairs != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Scanner is already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOO!|OOOOy*s#:Scanner", kwlist, &words_arg, &pairs_arg, &PyDict_Type,
                                     &entries, &marks, &whole, &groups_arg, &leads, &table, &chars, &nchars)) {
        return -1;
    }
    if (nchars > MAX_CHARS) {
        PyErr_SetString(PyExc_ValueError, "at most 16 chars");
        goto done;
    }
    for (Py_ssize_t k = 0; k < nchars; k++) {
        unsigned char c = (unsigned char)chars[k];
        if (c >= 128 || memchr(chars, c, (size_t)k) != NULL) {
            PyErr_SetString(PyExc_ValueError, "chars must be distinct ASCII characters");
            goto done;
        }
        self->chars[k] = c;
    }
    self->nchars = nchars;
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
    if (nwords >= INT32_MAX - 1 || npairs >= INT32_MAX - 1 || self->ngroups > MAX_GROUPS
        || (marks && PyObject_Length(marks) > MAX_MARKS)) {
        if (!PyErr_Occurred()) {
            PyErr_SetString(PyExc_ValueError, "too many words, marks or groups (at most 32 marks and 32 groups)");
        }
        goto done;
    }
    self->words_mask = table_size(nwords) - 1;
    self->word_index = PyMem_Calloc(self->words_mask + 1, sizeof(uint64_t));
    self->words = PyMem_Calloc((size_t)(nwords ? nwords : 1), sizeof(WordSlot));
    self->pairs_mask = table_size(npairs) - 1;
    self->pair_index = PyMem_Calloc(self->pairs_mask + 1, sizeof(uint32_t));
    self->pairs = PyMem_Calloc((size_t)(npairs ? npairs : 1), sizeof(PairSlot));
    self->seen = PyMem_Calloc((size_t)(nwords ? nwords : 1), sizeof(uint32_t));
    if (self->words == NULL || self->word_index == NULL || self->pairs == NULL || self->pair_index == NULL
        || self->seen == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < nwords; i++) {
        if (add_word(self, PySequence_Fast_GET_ITEM(words, i)) < 0) {
            goto done;
        }
    }
    if ((marks && flag_words(self, marks, "mark", 0, 0) < 0)
        || (whole && flag_words(self, whole, "whole_only word", 1, 0) < 0)
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
        uint32_t *entry = pair_entry(self, pair_key);
        if (*entry == 0) { /* fewer pairs than the pairs given */
            self->pairs[self->npairs].key = pair_key;
            self->pairs[self->npairs].pair = Py_NewRef(pair);
            *entry = (uint32_t)++self->npairs;
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

void
scanner_clear_tables(ScannerObject *self)
{
    if (self->words != NULL) {
        for (Py_ssize_t i = 0; i < self->nwords; i++) {
            Py_XDECREF(self->words[i].word);
            Py_XDECREF(self->words[i].entries);
        }
        PyMem_Free(self->words);
        self->words = NULL;
    }
    if (self->pairs != NULL) {
        for (Py_ssize_t i = 0; i < self->npairs; i++) {
            Py_XDECREF(self->pairs[i].pair);
        }
        PyMem_Free(self->pairs);
        self->pairs = NULL;
    }
    PyMem_Free(self->word_index);
    self->word_index = NULL;
    PyMem_Free(self->pair_index);
    self->pair_index = NULL;
    PyMem_Free(self->seen);
    self->seen = NULL;
}
