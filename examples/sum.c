/* The worked example from DESIGN.md: sum the odd elements of an array. */
long sum(long *a, int n) {
  long s = 0;
  for (int i = 0; i < n; i++)
    if (a[i] & 1)
      s += a[i];
  return s;
}
