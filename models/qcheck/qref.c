#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
void quantize_row_q8_0_ref(const float * x, void * y, int64_t k);
void quantize_row_q5_1_ref(const float * x, void * y, int64_t k);
// usage: qref q8_0|q5_1 < floats > blocks
int main(int argc, char **argv) {
  size_t cap = 1<<20, n = 0; float *x = malloc(cap*4);
  size_t r; while ((r = fread(x+n, 4, cap-n, stdin)) > 0) { n += r; if (n == cap) { cap *= 2; x = realloc(x, cap*4); } }
  size_t nb = n/32; int q8 = strcmp(argv[1], "q8_0") == 0; size_t bs = q8 ? 34 : 24;
  void *y = malloc(nb*bs);
  if (q8) quantize_row_q8_0_ref(x, y, (int64_t)n); else quantize_row_q5_1_ref(x, y, (int64_t)n);
  fwrite(y, bs, nb, stdout); return 0;
}
