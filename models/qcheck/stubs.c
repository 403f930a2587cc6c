#include <stdlib.h>
#include <stddef.h>
void ggml_abort(const char *f, int l, const char *fmt, ...) { abort(); }
size_t ggml_row_size(int t, long n) { abort(); }
const char *ggml_type_name(int t) { abort(); }
size_t ggml_type_size(int t) { abort(); }
