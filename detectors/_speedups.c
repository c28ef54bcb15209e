/* The per-candidate loops of dense text, in C.
 *
 * A plain log holds an address on nearly every line: thousands of candidates a megabyte, each
 * confirmed from a cache, turned into a span, checked for overlaps and counted against the
 * values its item already holds. In Python each of those steps costs a microsecond or two per
 * candidate; here tens of nanoseconds. Every function has a pure-Python twin in
 * detectors/hotloops.py that defines what it does; the tests hold the two to the same results.
 * Nothing here keeps a reference to scanned text beyond the objects it returns.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

static PyObject *one, *s_start, *s_end, *s_entity_type, *s_value, *s_score, *s_detector, *s_context;

/* Where a span's class keeps the attributes these loops touch. Span has __slots__: each is a
 * member descriptor holding an offset into the object. Found once per class, they let the
 * loops read and write those slots as the descriptors do, without looking each name up in the
 * class for every span; any other class goes through getattr and setattr. */
enum { F_ENTITY, F_START, F_END, F_SCORE, F_DETECTOR, F_VALUE, F_CONTEXT, N_FIELDS };
static PyObject **field_names[N_FIELDS] = {&s_entity_type, &s_start, &s_end, &s_score, &s_detector, &s_value,
                                           &s_context};
static PyTypeObject *slots_type, *other_type;  /* the class with usable slots; the last without */
static Py_ssize_t slot_offset[N_FIELDS];

static int
has_slots(PyTypeObject *type)
{
    if (type == slots_type)
        return 1;
    if (type == other_type)
        return 0;
    Py_ssize_t offsets[N_FIELDS];
    for (int i = 0; i < N_FIELDS; i++) {
        PyObject *descr = PyObject_GetAttr((PyObject *)type, *field_names[i]);
        if (descr == NULL) {
            PyErr_Clear();
            Py_INCREF(type);
            Py_XSETREF(other_type, type);
            return 0;
        }
        int usable = Py_IS_TYPE(descr, &PyMemberDescr_Type) &&
                     ((PyMemberDescrObject *)descr)->d_member->type == T_OBJECT_EX &&
                     !(((PyMemberDescrObject *)descr)->d_member->flags & READONLY);
        if (usable)
            offsets[i] = ((PyMemberDescrObject *)descr)->d_member->offset;
        Py_DECREF(descr);
        if (!usable) {
            Py_INCREF(type);
            Py_XSETREF(other_type, type);
            return 0;
        }
    }
    Py_INCREF(type);
    Py_XSETREF(slots_type, type);
    memcpy(slot_offset, offsets, sizeof offsets);
    return 1;
}

/* A span's attribute, new reference (NULL with an exception when unset). */
static PyObject *
field(PyObject *span, int i)
{
    if (has_slots(Py_TYPE(span))) {
        PyObject *v = *(PyObject **)((char *)span + slot_offset[i]);
        if (v != NULL)
            return Py_NewRef(v);
    }
    return PyObject_GetAttr(span, *field_names[i]);
}

/* Whether text[lo:hi] contains any of the strings in `needles` (a tuple of str). */
static int
contains_any(PyObject *text, Py_ssize_t lo, Py_ssize_t hi, PyObject *needles)
{
    Py_ssize_t n = PyTuple_GET_SIZE(needles);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, i);
        Py_ssize_t at = PyUnicode_GET_LENGTH(needle) == 1  /* ":" of an IPv6 pattern, in every address hit */
            ? PyUnicode_FindChar(text, PyUnicode_READ_CHAR(needle, 0), lo, hi, 1)
            : PyUnicode_Find(text, needle, lo, hi, 1);
        if (at == -2)
            return -1;
        if (at >= 0)
            return 1;
    }
    return 0;
}

static inline int
ascii_alnum(Py_UCS4 c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Which ASCII characters end one of the `endings` (lower-case words): `last[c]`. */
static void
last_characters(PyObject *endings, unsigned char last[128])
{
    memset(last, 0, 128);
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(endings); k++) {
        PyObject *word = PyTuple_GET_ITEM(endings, k);
        Py_ssize_t wlen = PyUnicode_GET_LENGTH(word);
        Py_UCS4 c = wlen ? PyUnicode_READ_CHAR(word, wlen - 1) : 128;
        if (c < 128)
            last[c] = 1;
    }
}

/* The fast half of LogicRecognizer.follows_not_after: 0 when the reach before `pos` is ASCII,
 * holds none of the `hiding` characters and, trailing separators stripped, ends in none of
 * the `endings` (`last`: their last characters, see last_characters); 1 when the exact (cached
 * regex) check must decide. */
static int
not_after_undecided(int kind, const void *data, int ascii, Py_ssize_t pos, Py_ssize_t reach, PyObject *endings,
                    const unsigned char last[128], PyObject *hiding)
{
    Py_ssize_t lo = pos > reach ? pos - reach : 0;
    int hkind = PyUnicode_KIND(hiding);
    const void *hdata = PyUnicode_DATA(hiding);
    Py_ssize_t hlen = PyUnicode_GET_LENGTH(hiding);
    /* ASCII text and nothing hiding (an address's words): nothing to look for character by character */
    for (Py_ssize_t i = lo; i < pos && !(ascii && hlen == 0); i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= 128)
            return 1;
        for (Py_ssize_t h = 0; h < hlen; h++)
            if (PyUnicode_READ(hkind, hdata, h) == c)
                return 1;
    }
    Py_ssize_t stop = pos;
    while (stop > lo && !ascii_alnum(PyUnicode_READ(kind, data, stop - 1)))
        stop--;
    if (stop == lo)
        return 0;
    Py_UCS4 final = PyUnicode_READ(kind, data, stop - 1);
    if (final >= 'A' && final <= 'Z')
        final += 'a' - 'A';
    if (!last[final])  /* most text: no word ends in its last letter or digit */
        return 0;
    Py_ssize_t n = PyTuple_GET_SIZE(endings);
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *word = PyTuple_GET_ITEM(endings, k);
        Py_ssize_t wlen = PyUnicode_GET_LENGTH(word);
        if (wlen > stop - lo)
            continue;
        int wkind = PyUnicode_KIND(word);
        const void *wdata = PyUnicode_DATA(word);
        Py_ssize_t base = stop - wlen, j = 0;
        for (; j < wlen; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, base + j);
            if (c >= 'A' && c <= 'Z')
                c += 'a' - 'A';
            if (c != PyUnicode_READ(wkind, wdata, j))
                break;
        }
        if (j == wlen)
            return 1;
    }
    return 0;
}

/* (start, end, score) */
static PyObject *
triple(Py_ssize_t start, Py_ssize_t end, PyObject *score)
{
    PyObject *t = PyTuple_New(3);
    if (t == NULL)
        return NULL;
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    if (a == NULL || b == NULL) {
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_DECREF(t);
        return NULL;
    }
    Py_INCREF(score);
    PyTuple_SET_ITEM(t, 0, a);
    PyTuple_SET_ITEM(t, 1, b);
    PyTuple_SET_ITEM(t, 2, score);
    return t;
}

/* A Span (detectors.patterns) of text[s:e], made without running its __init__; `value`: that
 * text when the caller has it, else NULL. */
static PyObject *
new_span(PyTypeObject *type, PyObject *text, Py_ssize_t s, Py_ssize_t e, PyObject *value, PyObject *score,
         PyObject *entity, PyObject *name, PyObject *context)
{
    PyObject *span = type->tp_alloc(type, 0);
    if (span == NULL)
        return NULL;
    PyObject *values[N_FIELDS] = {entity, PyLong_FromSsize_t(s), PyLong_FromSsize_t(e), score, name,
                                  value ? Py_NewRef(value) : PyUnicode_Substring(text, s, e), context};
    int bad = values[F_START] == NULL || values[F_END] == NULL || values[F_VALUE] == NULL;
    int direct = !bad && has_slots(type);
    for (int i = 0; i < N_FIELDS && !bad; i++) {
        if (direct)  /* a new object's slots are empty */
            *(PyObject **)((char *)span + slot_offset[i]) = Py_NewRef(values[i]);
        else
            bad = PyObject_SetAttr(span, *field_names[i], values[i]) < 0;
    }
    Py_XDECREF(values[F_START]);
    Py_XDECREF(values[F_END]);
    Py_XDECREF(values[F_VALUE]);
    if (bad) {
        Py_DECREF(span);
        return NULL;
    }
    return span;
}

static int ssize_field(PyObject *obj, int i, Py_ssize_t *out);

/* Matches judged by confirm_cached, before their spans are made: (start, end, score, value). */
typedef struct {
    Py_ssize_t s, e;
    PyObject *score, *value;  /* strong: the cache holding them may be cleared while judging */
    PyObject *row;    /* when the match is counted on its row (of `seen`), else NULL */
} Match;

typedef struct {
    Match *items;
    Py_ssize_t size, capacity;
} Matches;

static int
matches_add(Matches *m, Py_ssize_t s, Py_ssize_t e, PyObject *score, PyObject *value)
{
    if (m->size == m->capacity) {
        Py_ssize_t capacity = m->capacity ? 2 * m->capacity : 256;
        Match *items = PyMem_Realloc(m->items, capacity * sizeof(Match));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        m->items = items;
        m->capacity = capacity;
    }
    m->items[m->size++] = (Match){s, e, Py_NewRef(score), Py_NewRef(value), NULL};
    return 0;
}

static void
matches_free(Matches *m)
{
    for (Py_ssize_t i = 0; i < m->size; i++) {
        Py_DECREF(m->items[i].score);
        Py_DECREF(m->items[i].value);
        Py_XDECREF(m->items[i].row);
    }
    PyMem_Free(m->items);
    m->items = NULL;
    m->size = m->capacity = 0;
}

/* Keep a judged match to make a span of: 0 when kept or dropped (below `min_score` with no
 * `context` that could raise it), 1 when its context words must be looked up now (the caller's
 * business: confirm_cached returns None), -1 on error. */
static int
keep(Matches *kept, Py_ssize_t s, Py_ssize_t e, PyObject *score, PyObject *value, PyObject *min_score,
     PyObject *context)
{
    int below = PyFloat_CheckExact(score) && PyFloat_CheckExact(min_score)
        ? PyFloat_AS_DOUBLE(score) < PyFloat_AS_DOUBLE(min_score)
        : PyObject_RichCompareBool(score, min_score, Py_LT);
    if (below < 0)
        return -1;
    if (below)
        return context == Py_None ? 0 : 1;
    return matches_add(kept, s, e, score, value);
}

static Matches *sorting;  /* what compare_starts orders indices of (qsort takes no context) */

static int
compare_starts(const void *a, const void *b)
{
    Py_ssize_t i = *(const Py_ssize_t *)a, j = *(const Py_ssize_t *)b;
    Py_ssize_t si = sorting->items[i].s, sj = sorting->items[j].s;
    return si < sj ? -1 : si > sj ? 1 : (i > j) - (i < j);  /* stable: equal starts keep their order */
}

/* Mark (Match.row) the matches that hotloops._countable counts: in the core, overlapping no
 * other match and no span of `others`, of a value with a row in `seen`. */
static int
mark_countable(Matches *m, PyObject *text, PyObject *entity, PyObject *known)
{
    PyObject *seen, *container, *others;
    Py_ssize_t core_start, core_end, count_index;
    if (!PyArg_ParseTuple(known, "O!OnnnO!", &PyDict_Type, &seen, &container, &core_start, &core_end, &count_index,
                          &PyList_Type, &others))
        return -1;
    Py_ssize_t n = m->size, n_others = PyList_GET_SIZE(others);
    Py_ssize_t *order = PyMem_Malloc((n ? n : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *other_start = PyMem_Malloc((n_others ? n_others : 1) * sizeof(Py_ssize_t));
    Py_ssize_t *other_reach = PyMem_Malloc((n_others ? n_others : 1) * sizeof(Py_ssize_t));
    int result = -1;
    if (order == NULL || other_start == NULL || other_reach == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* the other spans' starts, sorted, and the furthest end among each one and those before */
    for (Py_ssize_t i = 0; i < n_others; i++) {
        Py_ssize_t s, e;
        if (ssize_field(PyList_GET_ITEM(others, i), F_START, &s) < 0 ||
            ssize_field(PyList_GET_ITEM(others, i), F_END, &e) < 0)
            goto done;
        if (i > 0 && s < other_start[i - 1]) {
            PyErr_SetString(PyExc_ValueError, "known: the other spans must be sorted by start");
            goto done;
        }
        other_start[i] = s;
        other_reach[i] = i > 0 && other_reach[i - 1] > e ? other_reach[i - 1] : e;
    }
    int ordered = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        order[i] = i;
        if (i > 0 && m->items[i].s < m->items[i - 1].s)
            ordered = 0;
    }
    if (!ordered) {  /* rare: a hit's match starting after the next hit's */
        sorting = m;
        qsort(order, n, sizeof(Py_ssize_t), compare_starts);
    }
    Py_ssize_t reached = -1;  /* the furthest end of the matches before, in order of start */
    for (Py_ssize_t k = 0; k < n; k++) {
        Match *match = &m->items[order[k]];
        int alone = reached <= match->s && (k + 1 == n || m->items[order[k + 1]].s >= match->e);
        if (match->e > reached)
            reached = match->e;
        if (!alone || match->s < core_start || match->s >= core_end)
            continue;
        Py_ssize_t lo = 0, hi = n_others;  /* how many other spans start before the match ends */
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (other_start[mid] < match->e)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo > 0 && other_reach[lo - 1] > match->s)
            continue;
        PyObject *key = PyTuple_Pack(3, entity, container, match->value);
        if (key == NULL)
            goto done;
        PyObject *row = PyDict_GetItemWithError(seen, key);
        Py_DECREF(key);
        if (row == NULL && PyErr_Occurred())
            goto done;
        if (row != NULL && (!PyList_Check(row) || count_index < 0 || count_index >= PyList_GET_SIZE(row))) {
            PyErr_SetString(PyExc_TypeError, "a seen value's row must be a list holding its count");
            goto done;
        }
        match->row = Py_XNewRef(row);
    }
    result = 0;
done:
    PyMem_Free(order);
    PyMem_Free(other_start);
    PyMem_Free(other_reach);
    return result;
}

/* Append to `out` the spans of the matches not counted; then raise the counted ones' rows. */
static int
make_spans(PyObject *out, Matches *m, PyObject *text, PyTypeObject *span_type, PyObject *entity, PyObject *name,
           PyObject *context, PyObject *known)
{
    Py_ssize_t count_index = 0;
    if (known != Py_None) {
        if (mark_countable(m, text, entity, known) < 0)
            return -1;
        count_index = PyLong_AsSsize_t(PyTuple_GET_ITEM(known, 4));  /* parsed above: a valid index */
    }
    for (Py_ssize_t i = 0; i < m->size; i++) {
        Match *match = &m->items[i];
        if (match->row != NULL)
            continue;
        PyObject *span = new_span(span_type, text, match->s, match->e, match->value, match->score, entity, name,
                                  context);
        if (span == NULL || PyList_Append(out, span) < 0) {
            Py_XDECREF(span);
            return -1;
        }
        Py_DECREF(span);
    }
    for (Py_ssize_t i = 0; i < m->size; i++) {  /* every span made: nothing can fail half-way through */
        PyObject *row = m->items[i].row;
        if (row == NULL)
            continue;
        PyObject *count = PyNumber_Add(PyList_GET_ITEM(row, count_index), one);
        if (count == NULL)
            return -1;
        PyObject *old = PyList_GET_ITEM(row, count_index);
        PyList_SET_ITEM(row, count_index, count);
        Py_DECREF(old);
    }
    return 0;
}

static PyObject *
confirm_cached(PyObject *self, PyObject *args)
{
    PyObject *text, *longest, *memo, *on_miss, *slow, *reaching, *not_after, *make = Py_None, *known = Py_None;
    Py_ssize_t look_behind, look_ahead;
    if (!PyArg_ParseTuple(args, "UO!nnO!OOOO|OO", &text, &PyDict_Type, &longest, &look_behind, &look_ahead,
                          &PyDict_Type, &memo, &on_miss, &slow, &reaching, &not_after, &make, &known))
        return NULL;
    if (known != Py_None && make == Py_None) {
        PyErr_SetString(PyExc_TypeError, "known: only with make");
        return NULL;
    }
    PyObject *span_type = NULL, *entity = NULL, *name = NULL, *context = NULL, *min_score = NULL;
    if (make != Py_None && !PyArg_ParseTuple(make, "O!OOOO", &PyType_Type, &span_type, &entity, &name, &context,
                                             &min_score))
        return NULL;
    Py_ssize_t reach = 0;
    PyObject *endings = NULL, *hiding = NULL, *exact = NULL;
    if (not_after != Py_None && !PyArg_ParseTuple(not_after, "nO!UO", &reach, &PyTuple_Type, &endings, &hiding,
                                                  &exact))
        return NULL;
    unsigned char last[128];
    if (not_after != Py_None) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(endings); k++)
            if (!PyUnicode_Check(PyTuple_GET_ITEM(endings, k))) {
                PyErr_SetString(PyExc_TypeError, "not_after: endings must be str");
                return NULL;
            }
        last_characters(endings, last);
    }
    if (reaching != Py_None && !PyTuple_Check(reaching)) {
        PyErr_SetString(PyExc_TypeError, "reaching: a tuple of str or None");
        return NULL;
    }
    int kind = PyUnicode_KIND(text), ascii = PyUnicode_IS_ASCII(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Matches kept = {NULL, 0, 0};  /* with make: the matches to make spans of, in order of judgement */
    Py_ssize_t it = 0;
    PyObject *kstart, *kend;
    while (PyDict_Next(longest, &it, &kstart, &kend)) {
        Py_ssize_t start = PyLong_AsSsize_t(kstart), end = PyLong_AsSsize_t(kend);
        if ((start == -1 || end == -1) && PyErr_Occurred())
            goto fail;
        if (reaching != Py_None) {
            int found = contains_any(text, start, end, reaching);
            if (found < 0)
                goto fail;
            if (found) {  /* a pattern may reach past this hit: judged in full, not cached */
                PyObject *more = PyObject_CallFunctionObjArgs(slow, kstart, kend, NULL);
                if (more == NULL)
                    goto fail;
                if (make == Py_None) {
                    Py_ssize_t size = PyList_GET_SIZE(out);
                    int bad = PyList_SetSlice(out, size, size, more);
                    Py_DECREF(more);
                    if (bad < 0)
                        goto fail;
                    continue;
                }
                PyObject *triples = PySequence_Fast(more, "slow: a list of (start, end, score)");
                Py_DECREF(more);
                if (triples == NULL)
                    goto fail;
                int verdict = 0;
                for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(triples) && verdict == 0; i++) {
                    Py_ssize_t s, e;
                    PyObject *score;
                    if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(triples, i), "nnO", &s, &e, &score)) {
                        verdict = -1;
                        break;
                    }
                    PyObject *value = PyUnicode_Substring(text, s, e);
                    verdict = value ? keep(&kept, s, e, score, value, min_score, context) : -1;
                    Py_XDECREF(value);
                }
                Py_DECREF(triples);
                if (verdict < 0)
                    goto fail;
                if (verdict > 0)
                    goto decline;
                continue;
            }
        }
        Py_ssize_t lo = start > look_behind ? start - look_behind : 0;
        Py_ssize_t hi = end + look_ahead < length ? end + look_ahead : length;
        if (hi < lo)
            hi = lo;
        PyObject *local = PyUnicode_Substring(text, lo, hi);
        if (local == NULL)
            goto fail;
        PyObject *offset = PyLong_FromSsize_t(start - lo);
        PyObject *key = offset ? PyTuple_Pack(2, local, offset) : NULL;
        Py_DECREF(local);
        Py_XDECREF(offset);
        if (key == NULL)
            goto fail;
        PyObject *cached = PyDict_GetItemWithError(memo, key);
        if (cached != NULL) {
            Py_INCREF(cached);
        } else if (PyErr_Occurred()) {
            Py_DECREF(key);
            goto fail;
        } else {
            cached = PyObject_CallFunctionObjArgs(on_miss, key, kstart, kend, NULL);
        }
        Py_DECREF(key);
        if (cached == NULL)
            goto fail;
        if (!PyTuple_Check(cached)) {
            Py_DECREF(cached);
            PyErr_SetString(PyExc_TypeError, "a cached judgement must be a tuple");
            goto fail;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(cached);
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *entry = PyTuple_GET_ITEM(cached, i);
            if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 5 || !PyUnicode_Check(PyTuple_GET_ITEM(entry, 4))) {
                Py_DECREF(cached);
                PyErr_SetString(PyExc_TypeError, "a judged match is (match start, start, end, score, value)");
                goto fail;
            }
            Py_ssize_t match_start = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
            Py_ssize_t s = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 1));
            Py_ssize_t e = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 2));
            PyObject *score = PyTuple_GET_ITEM(entry, 3);
            if ((match_start == -1 || s == -1 || e == -1) && PyErr_Occurred()) {
                Py_DECREF(cached);
                goto fail;
            }
            if (not_after != Py_None) {
                Py_ssize_t at = start + match_start;
                int undecided = not_after_undecided(kind, data, ascii, at, reach, endings, last, hiding);
                if (undecided) {
                    PyObject *pos = PyLong_FromSsize_t(at);
                    PyObject *blocked = pos ? PyObject_CallFunctionObjArgs(exact, text, pos, NULL) : NULL;
                    Py_XDECREF(pos);
                    int truth = blocked ? PyObject_IsTrue(blocked) : -1;
                    Py_XDECREF(blocked);
                    if (truth < 0) {
                        Py_DECREF(cached);
                        goto fail;
                    }
                    if (truth)
                        continue;
                }
            }
            if (make != Py_None) {
                int verdict = keep(&kept, start + s, start + e, score, PyTuple_GET_ITEM(entry, 4), min_score, context);
                if (verdict != 0)
                    Py_DECREF(cached);
                if (verdict < 0)
                    goto fail;
                if (verdict > 0)
                    goto decline;
                continue;
            }
            PyObject *found = triple(start + s, start + e, score);
            if (found == NULL || PyList_Append(out, found) < 0) {
                Py_XDECREF(found);
                Py_DECREF(cached);
                goto fail;
            }
            Py_DECREF(found);
        }
        Py_DECREF(cached);
    }
    if (make != Py_None && make_spans(out, &kept, text, (PyTypeObject *)span_type, entity, name, context, known) < 0)
        goto fail;
    matches_free(&kept);
    return out;
decline:
    matches_free(&kept);
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    matches_free(&kept);
    Py_DECREF(out);
    return NULL;
}

static PyObject *
has_word(PyObject *self, PyObject *args)
{
    PyObject *text, *words;
    Py_ssize_t lo, hi;
    if (!PyArg_ParseTuple(args, "UnnO!", &text, &lo, &hi, &PyTuple_Type, &words))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    lo = lo < 0 ? 0 : lo > length ? length : lo;
    hi = hi < lo ? lo : hi > length ? length : hi;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (!PyUnicode_IS_ASCII(text))
        for (Py_ssize_t i = lo; i < hi; i++)
            if (PyUnicode_READ(kind, data, i) >= 128)
                Py_RETURN_NONE;
    Py_ssize_t n = PyTuple_GET_SIZE(words);
    unsigned char first[128] = {0};  /* the first characters of the words that can match ASCII text */
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *word = PyTuple_GET_ITEM(words, k);
        if (!PyUnicode_Check(word)) {
            PyErr_SetString(PyExc_TypeError, "has_word: words must be str");
            return NULL;
        }
        if (PyUnicode_GET_LENGTH(word) && PyUnicode_IS_ASCII(word))
            first[PyUnicode_1BYTE_DATA(word)[0]] = 1;
    }
    for (Py_ssize_t at = lo; at < hi; at++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (!first[c] || (at > lo && ascii_alnum(PyUnicode_READ(kind, data, at - 1))))
            continue;
        for (Py_ssize_t k = 0; k < n; k++) {
            PyObject *word = PyTuple_GET_ITEM(words, k);
            Py_ssize_t wlen = PyUnicode_GET_LENGTH(word), j = 0;
            if (wlen == 0 || wlen > hi - at || !PyUnicode_IS_ASCII(word))
                continue;
            const Py_UCS1 *w = PyUnicode_1BYTE_DATA(word);
            for (; j < wlen; j++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, at + j);
                if (c >= 'A' && c <= 'Z')
                    c += 'a' - 'A';
                if (c != w[j])
                    break;
            }
            if (j == wlen && (at + wlen == hi || !ascii_alnum(PyUnicode_READ(kind, data, at + wlen))))
                Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

static PyObject *
lazy_spans(PyObject *self, PyObject *args)
{
    PyObject *span_type, *candidates, *entity, *name, *text, *context;
    if (!PyArg_ParseTuple(args, "O!O!OOUO", &PyType_Type, &span_type, &PyList_Type, &candidates, &entity, &name,
                          &text, &context))
        return NULL;
    PyTypeObject *type = (PyTypeObject *)span_type;
    Py_ssize_t n = PyList_GET_SIZE(candidates);
    PyObject *out = PyList_New(n);
    if (out == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t s, e;
        PyObject *score;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(candidates, i), "nnO", &s, &e, &score))
            goto fail;
        PyObject *span = new_span(type, text, s, e, NULL, score, entity, name, context);
        if (span == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, span);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

static int
ssize_field(PyObject *obj, int i, Py_ssize_t *out)
{
    PyObject *v = field(obj, i);
    if (v == NULL)
        return -1;
    *out = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*out == -1 && PyErr_Occurred()) ? -1 : 0;
}

static PyObject *
overlaps_none(PyObject *self, PyObject *ordered)
{
    if (!PyList_Check(ordered)) {
        PyErr_SetString(PyExc_TypeError, "a list of spans sorted by start");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(ordered), previous_end = -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *span = PyList_GET_ITEM(ordered, i);
        Py_ssize_t s, e;
        if (ssize_field(span, F_START, &s) < 0 || ssize_field(span, F_END, &e) < 0)
            return NULL;
        if (s < previous_end)
            Py_RETURN_FALSE;
        previous_end = e;
    }
    Py_RETURN_TRUE;
}

static PyObject *
count_known(PyObject *self, PyObject *args)
{
    PyObject *spans, *container, *seen;
    Py_ssize_t core_start, core_end, count_index;
    if (!PyArg_ParseTuple(args, "O!nnOO!n", &PyList_Type, &spans, &core_start, &core_end, &container,
                          &PyDict_Type, &seen, &count_index))
        return NULL;
    PyObject *fresh = PyList_New(0);
    if (fresh == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(spans);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *span = PyList_GET_ITEM(spans, i);
        Py_ssize_t s;
        if (ssize_field(span, F_START, &s) < 0)
            goto fail;
        if (s < core_start || s >= core_end)
            continue;
        PyObject *entity = field(span, F_ENTITY);
        PyObject *value = entity ? field(span, F_VALUE) : NULL;
        PyObject *key = value ? PyTuple_Pack(3, entity, container, value) : NULL;
        Py_XDECREF(entity);
        Py_XDECREF(value);
        if (key == NULL)
            goto fail;
        PyObject *row = PyDict_GetItemWithError(seen, key);
        Py_DECREF(key);
        if (row == NULL) {
            if (PyErr_Occurred() || PyList_Append(fresh, span) < 0)
                goto fail;
            continue;
        }
        if (!PyList_Check(row) || count_index >= PyList_GET_SIZE(row)) {
            PyErr_SetString(PyExc_TypeError, "a seen value's row must be a list holding its count");
            goto fail;
        }
        PyObject *count = PyNumber_Add(PyList_GET_ITEM(row, count_index), one);
        if (count == NULL)
            goto fail;
        PyObject *old = PyList_GET_ITEM(row, count_index);
        PyList_SET_ITEM(row, count_index, count);
        Py_DECREF(old);
    }
    return fresh;
fail:
    Py_DECREF(fresh);
    return NULL;
}

/* The pre-filter's Hyperscan match handler: each hit's (start, end) appended to its pattern's
 * list without a Python frame. Hyperscan's binding calls it as handler(id, start, end, flags,
 * context) once per hit; a dense log has thousands of hits a megabyte. */
typedef struct {
    PyObject_HEAD
    Py_ssize_t patterns;
    PyObject **lists; /* one list per pattern id, NULL until its first hit */
} HitCollector;

static void
collector_clear(HitCollector *self)
{
    for (Py_ssize_t i = 0; i < self->patterns; i++)
        Py_CLEAR(self->lists[i]);
}

static void
collector_dealloc(HitCollector *self)
{
    if (self->lists != NULL) {
        collector_clear(self);
        PyMem_Free(self->lists);
    }
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
collector_init(HitCollector *self, PyObject *args, PyObject *kwargs)
{
    Py_ssize_t patterns;
    if (!PyArg_ParseTuple(args, "n:HitCollector", &patterns))
        return -1;
    if (patterns < 0) {
        PyErr_SetString(PyExc_ValueError, "HitCollector: a negative number of patterns");
        return -1;
    }
    if (self->lists != NULL) {
        collector_clear(self);
        PyMem_Free(self->lists);
    }
    self->patterns = patterns;
    self->lists = PyMem_Calloc(patterns ? patterns : 1, sizeof(PyObject *));
    if (self->lists == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static PyObject *
collector_call(HitCollector *self, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) < 3) {
        PyErr_SetString(PyExc_TypeError, "HitCollector: called with fewer than (id, start, end)");
        return NULL;
    }
    Py_ssize_t id = PyLong_AsSsize_t(PyTuple_GET_ITEM(args, 0));
    if (id == -1 && PyErr_Occurred())
        return NULL;
    if (id < 0 || id >= self->patterns) {
        PyErr_SetString(PyExc_IndexError, "HitCollector: pattern id out of range");
        return NULL;
    }
    if (self->lists[id] == NULL && (self->lists[id] = PyList_New(0)) == NULL)
        return NULL;
    PyObject *hit = PyTuple_Pack(2, PyTuple_GET_ITEM(args, 1), PyTuple_GET_ITEM(args, 2));
    if (hit == NULL)
        return NULL;
    int failed = PyList_Append(self->lists[id], hit);
    Py_DECREF(hit);
    if (failed)
        return NULL;
    Py_RETURN_NONE;
}

static PyObject *
collector_take(HitCollector *self, PyObject *unused)
{
    PyObject *taken = PyDict_New();
    if (taken == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->patterns; i++) {
        if (self->lists[i] == NULL)
            continue;
        PyObject *key = PyLong_FromSsize_t(i);
        if (key == NULL || PyDict_SetItem(taken, key, self->lists[i]) < 0) {
            Py_XDECREF(key);
            Py_DECREF(taken);
            return NULL;
        }
        Py_DECREF(key);
        Py_CLEAR(self->lists[i]);
    }
    return taken;
}

static PyMethodDef collector_methods[] = {
    {"take", (PyCFunction)collector_take, METH_NOARGS,
     "{pattern id: [(start, end), ...]} of the hits since the last take, and start afresh."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject HitCollectorType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "detectors._speedups.HitCollector",
    .tp_basicsize = sizeof(HitCollector),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Hyperscan match handler collecting (start, end) per pattern id; see hotloops.HitCollector.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)collector_init,
    .tp_dealloc = (destructor)collector_dealloc,
    .tp_call = (ternaryfunc)collector_call,
    .tp_methods = collector_methods,
};

static PyMethodDef methods[] = {
    {"confirm_cached", confirm_cached, METH_VARARGS,
     "(start, end, score) of a cached-judgement rule's matches at its hits; see speedups.confirm_cached."},
    {"lazy_spans", lazy_spans, METH_VARARGS, "Span objects of candidates; see speedups.lazy_spans."},
    {"has_word", has_word, METH_VARARGS, "Whether a word stands in text[lo:hi]; see hotloops.has_word."},
    {"overlaps_none", overlaps_none, METH_O, "Whether sorted spans never overlap; see speedups.overlaps_none."},
    {"count_known", count_known, METH_VARARGS,
     "Count spans of already seen values, return the others; see speedups.count_known."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "detectors._speedups", NULL, -1, methods, NULL, NULL,
                                     NULL, NULL};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    one = PyLong_FromLong(1);
    s_start = PyUnicode_InternFromString("start");
    s_end = PyUnicode_InternFromString("end");
    s_entity_type = PyUnicode_InternFromString("entity_type");
    s_value = PyUnicode_InternFromString("value");
    s_score = PyUnicode_InternFromString("_score");
    s_detector = PyUnicode_InternFromString("detector");
    s_context = PyUnicode_InternFromString("_context");
    if (!one || !s_start || !s_end || !s_entity_type || !s_value || !s_score || !s_detector || !s_context)
        return NULL;
    if (PyType_Ready(&HitCollectorType) < 0)
        return NULL;
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL)
        return NULL;
    Py_INCREF(&HitCollectorType);
    if (PyModule_AddObject(mod, "HitCollector", (PyObject *)&HitCollectorType) < 0) {
        Py_DECREF(&HitCollectorType);
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
