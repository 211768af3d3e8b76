/*
 * jieba's get_DAG and calc, compiled: the same dictionaries in, the same Python objects out.
 *
 * jieba (0.42.1) spends over half of its time in two pure-Python loops: building the DAG of
 * dictionary words starting at each character, and the dynamic programme that picks the most
 * probable route through it. These are those two methods, line for line, for
 * ``analysis.CompiledTokenizer`` (a ``jieba.Tokenizer`` subclass), and ``route_ends``, the two
 * fused for its passages; everything else (blocks, the HMM for unknown words, posseg) stays
 * jieba's own Python. tests/test_jiebadag.py checks them against jieba's methods object for
 * object, and the segmentation of real passages word for word.
 *
 * Floating point: the score of an edge is ``(log(freq) - logtotal) + route[x + 1][0]`` in
 * doubles, in that order, as Python evaluates it; compiled without -ffast-math and with
 * -ffp-contract=off (see the Makefile), so results are bit for bit Python's.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* FREQ.get(sentence[start:end]), as jieba reads it. Returns -1 with an error set, else 0 with
 * *known: the fragment is a key of FREQ (a prefix of some word, or a word);
 * *word: its count is truthy (a word);
 * *logfreq, when asked for: math.log(count) for a word, 0.0 (log 1) otherwise.
 * math.log lets NaN and +inf through and raises for zero and negatives. */
static int
lookup(PyObject *sentence, Py_ssize_t start, Py_ssize_t end, PyObject *freq, int *known, int *word,
       double *logfreq)
{
    *known = *word = 0;
    if (logfreq != NULL) {
        *logfreq = 0.0;
    }
    PyObject *frag = PyUnicode_Substring(sentence, start, end);
    if (frag == NULL) {
        return -1;
    }
    PyObject *value = PyDict_GetItemWithError(freq, frag);
    Py_DECREF(frag);
    if (value == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    *known = 1;
    Py_INCREF(value); /* held while its __bool__ / __float__ run */
    int result = 0;
    int truth = PyObject_IsTrue(value);
    if (truth < 0) {
        result = -1;
    }
    else if (truth) {
        *word = 1;
        if (logfreq != NULL) {
            double number = PyFloat_AsDouble(value);
            if (number == -1.0 && PyErr_Occurred()) {
                result = -1;
            }
            else if (!(number > 0.0) && !isnan(number)) {
                PyErr_SetString(PyExc_ValueError, "math domain error");
                result = -1;
            }
            else {
                *logfreq = isfinite(number) ? log(number) : number;
            }
        }
    }
    Py_DECREF(value);
    return result;
}

/* A sentence's DAG, flat: position k's edges are starts[k] .. starts[k + 1] of ends, and of logs
 * (math.log of each word's count, log 1 for a lone character) when the walk was asked for them. */
struct dag {
    Py_ssize_t n, used, capacity;
    Py_ssize_t *starts, *ends;
    double *logs;
};

static void
free_dag(struct dag *dag)
{
    PyMem_Free(dag->starts);
    PyMem_Free(dag->ends);
    PyMem_Free(dag->logs);
}

static int
push_edge(struct dag *dag, Py_ssize_t end, double logfreq)
{
    if (dag->used == dag->capacity) {
        Py_ssize_t capacity = 2 * dag->capacity;
        Py_ssize_t *ends = PyMem_Realloc(dag->ends, capacity * sizeof(Py_ssize_t));
        if (ends == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        dag->ends = ends;
        double *logs = PyMem_Realloc(dag->logs, capacity * sizeof(double));
        if (logs == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        dag->logs = logs;
        dag->capacity = capacity;
    }
    dag->ends[dag->used] = end;
    dag->logs[dag->used] = logfreq;
    dag->used++;
    return 0;
}

/* jieba's get_DAG walk: from each position k, while sentence[k:i+1] is a key of FREQ, an edge to i
 * if its count is truthy (prefix entries of count 0 are walked through); [k] alone if none.
 * Returns -1 with an error set (the DAG freed), else 0 (free it with free_dag). */
static int
walk_dag(PyObject *sentence, PyObject *freq, int with_logs, struct dag *dag)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    *dag = (struct dag){n, 0, 4 * n + 16, NULL, NULL, NULL};
    dag->starts = PyMem_New(Py_ssize_t, n + 1);
    dag->ends = PyMem_New(Py_ssize_t, dag->capacity);
    dag->logs = PyMem_New(double, dag->capacity);
    if (!dag->starts || !dag->ends || !dag->logs) {
        PyErr_NoMemory();
        goto error;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        dag->starts[k] = dag->used;
        for (Py_ssize_t i = k; i < n; i++) {
            int known, word;
            double logfreq;
            if (lookup(sentence, k, i + 1, freq, &known, &word, with_logs ? &logfreq : NULL) < 0) {
                goto error;
            }
            if (!known) {
                break;
            }
            if (word && push_edge(dag, i, with_logs ? logfreq : 0.0) < 0) {
                goto error;
            }
        }
        /* A lone character: log(FREQ.get(char) or 1), its count already seen to be falsy or absent. */
        if (dag->used == dag->starts[k] && push_edge(dag, k, 0.0) < 0) {
            goto error;
        }
    }
    dag->starts[n] = dag->used;
    return 0;

error:
    free_dag(dag);
    return -1;
}

/* max() over (score, end) pairs, taken in order: a later pair wins only if it compares greater. */
static inline int
wins(double score, Py_ssize_t end, double best, Py_ssize_t best_end)
{
    return best_end < 0 || score > best || (score == best && end > best_end);
}

PyDoc_STRVAR(get_dag_doc,
"get_dag(sentence, freq) -> dict\n\n"
"jieba.Tokenizer.get_DAG: for each position k, the ends i of the dictionary words\n"
"sentence[k:i+1] (prefix entries of frequency 0 are walked through, not listed); [k] if none.");

static PyObject *
get_dag(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *sentence, *freq;
    if (!PyArg_ParseTuple(args, "UO!:get_dag", &sentence, &PyDict_Type, &freq)) {
        return NULL;
    }
    struct dag walked;
    if (walk_dag(sentence, freq, 0, &walked) < 0) {
        return NULL;
    }
    PyObject *dag = PyDict_New();
    if (dag == NULL) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < walked.n; k++) {
        Py_ssize_t first = walked.starts[k], count = walked.starts[k + 1] - first;
        PyObject *ends = PyList_New(count);
        PyObject *key = PyLong_FromSsize_t(k);
        int failed = ends == NULL || key == NULL;
        for (Py_ssize_t j = 0; !failed && j < count; j++) {
            PyObject *end = PyLong_FromSsize_t(walked.ends[first + j]);
            failed = end == NULL;
            if (!failed) {
                PyList_SET_ITEM(ends, j, end);
            }
        }
        failed = failed || PyDict_SetItem(dag, key, ends) < 0;
        Py_XDECREF(ends);
        Py_XDECREF(key);
        if (failed) {
            Py_CLEAR(dag);
            goto done;
        }
    }
done:
    free_dag(&walked);
    return dag;
}

/* route[key] = (score, end) */
static int
set_route(PyObject *route, Py_ssize_t key, PyObject *score, PyObject *end)
{
    PyObject *pair = NULL, *index = NULL;
    int result = -1;
    if (score == NULL || end == NULL) {
        goto done;
    }
    pair = PyTuple_Pack(2, score, end);
    index = PyLong_FromSsize_t(key);
    if (pair != NULL && index != NULL) {
        result = PyDict_SetItem(route, index, pair);
    }
done:
    Py_XDECREF(score);
    Py_XDECREF(end);
    Py_XDECREF(pair);
    Py_XDECREF(index);
    return result;
}

PyDoc_STRVAR(calc_doc,
"calc(sentence, dag, route, freq, logtotal) -> None\n\n"
"jieba.Tokenizer.calc: fill route with position -> (score, end) from the last position back,\n"
"score = log(FREQ.get(word) or 1) - logtotal + route[end + 1][0], the maximum pair (ties: larger end).");

static PyObject *
calc(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *sentence, *dag, *route, *freq;
    double logtotal;
    if (!PyArg_ParseTuple(args, "UO!O!O!d:calc", &sentence, &PyDict_Type, &dag, &PyDict_Type, &route,
                          &PyDict_Type, &freq, &logtotal)) {
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(sentence);
    double *scores = PyMem_New(double, n + 1);
    if (scores == NULL) {
        return PyErr_NoMemory();
    }
    /* route[N] = (0, 0): Python ints, as jieba writes them (0 + a float is that float). */
    scores[n] = 0.0;
    if (set_route(route, n, PyLong_FromLong(0), PyLong_FromLong(0)) < 0) {
        goto error;
    }
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        PyObject *key = PyLong_FromSsize_t(idx);
        if (key == NULL) {
            goto error;
        }
        PyObject *ends = PyDict_GetItemWithError(dag, key);
        if (ends == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetObject(PyExc_KeyError, key);
            }
            Py_DECREF(key);
            goto error;
        }
        Py_DECREF(key);
        PyObject *items = PySequence_Fast(ends, "DAG entries must be sequences of ends");
        if (items == NULL) {
            goto error;
        }
        Py_ssize_t count = PySequence_Fast_GET_SIZE(items);
        if (count == 0) {
            Py_DECREF(items);
            PyErr_SetString(PyExc_ValueError, "max() arg is an empty sequence");
            goto error;
        }
        double best = 0.0;
        Py_ssize_t best_end = -1;
        for (Py_ssize_t j = 0; j < count; j++) {
            Py_ssize_t x = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(items, j));
            if (x == -1 && PyErr_Occurred()) {
                Py_DECREF(items);
                goto error;
            }
            if (x < idx || x >= n) {
                Py_DECREF(items);
                PyErr_Format(PyExc_KeyError, "DAG end %zd out of range at %zd", x, idx);
                goto error;
            }
            int known, word;
            double logfreq; /* log(FREQ.get(word) or 1) */
            if (lookup(sentence, idx, x + 1, freq, &known, &word, &logfreq) < 0) {
                Py_DECREF(items);
                goto error;
            }
            double score = (logfreq - logtotal) + scores[x + 1];
            if (wins(score, x, best, best_end)) {
                best = score;
                best_end = x;
            }
        }
        Py_DECREF(items);
        scores[idx] = best;
        if (set_route(route, idx, PyFloat_FromDouble(best), PyLong_FromSsize_t(best_end)) < 0) {
            goto error;
        }
    }
    PyMem_Free(scores);
    Py_RETURN_NONE;

error:
    PyMem_Free(scores);
    return NULL;
}

PyDoc_STRVAR(route_ends_doc,
"route_ends(sentence, freq, logtotal) -> list\n\n"
"get_DAG then calc, without building them: for each position x, route[x][1] + 1 (where the word\n"
"starting at x ends, exclusive), as jieba's __cut_DAG reads it.");

static PyObject *
route_ends(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *sentence, *freq;
    double logtotal;
    if (!PyArg_ParseTuple(args, "UO!d:route_ends", &sentence, &PyDict_Type, &freq, &logtotal)) {
        return NULL;
    }
    struct dag dag;
    if (walk_dag(sentence, freq, 1, &dag) < 0) {
        return NULL;
    }
    Py_ssize_t n = dag.n;
    PyObject *result = NULL;
    double *scores = PyMem_New(double, n + 1);
    Py_ssize_t *best_ends = PyMem_New(Py_ssize_t, n + 1);
    if (!scores || !best_ends) {
        PyErr_NoMemory();
        goto done;
    }
    scores[n] = 0.0;
    for (Py_ssize_t idx = n - 1; idx >= 0; idx--) {
        double best = 0.0;
        Py_ssize_t best_end = -1;
        for (Py_ssize_t j = dag.starts[idx]; j < dag.starts[idx + 1]; j++) {
            Py_ssize_t x = dag.ends[j];
            double score = (dag.logs[j] - logtotal) + scores[x + 1];
            if (wins(score, x, best, best_end)) {
                best = score;
                best_end = x;
            }
        }
        scores[idx] = best;
        best_ends[idx] = best_end;
    }
    result = PyList_New(n);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t x = 0; x < n; x++) {
        PyObject *end = PyLong_FromSsize_t(best_ends[x] + 1);
        if (end == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, x, end);
    }
done:
    free_dag(&dag);
    PyMem_Free(scores);
    PyMem_Free(best_ends);
    return result;
}

static PyMethodDef methods[] = {
    {"get_dag", get_dag, METH_VARARGS, get_dag_doc},
    {"calc", calc, METH_VARARGS, calc_doc},
    {"route_ends", route_ends, METH_VARARGS, route_ends_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_jiebadag",
    "jieba's get_DAG and calc, compiled (see analysis.CompiledTokenizer).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__jiebadag(void)
{
    return PyModule_Create(&module);
}
