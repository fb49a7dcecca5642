/* live-static — a statically linked program (no PT_INTERP) for
 * tests/15-live-errors.sh: under exec-lock=preload sbx must refuse it (126),
 * under exec-lock=off it runs and exits 0. */
int
main (void)
{
  return 0;
}
