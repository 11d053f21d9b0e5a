/* Classic recursions cross-checked against iterative versions: Tower of Hanoi recursive
 * versus the iterative bit trick (move by move), Ackermann with small arguments and a call counter,
 * McCarthy's 91 function, integer partitions counted recursively with memoisation, and
 * Catalan numbers by the convolution recurrence. */
#include <stdio.h>

#define MAXREC 1024

static long hanoi_moves;
static unsigned char rec_from[MAXREC], rec_to[MAXREC];

static void hanoi(int n, int from, int to, int via, int print)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to, print);
    if (hanoi_moves < MAXREC) {
        rec_from[hanoi_moves] = (unsigned char)from;
        rec_to[hanoi_moves] = (unsigned char)to;
    }
    hanoi_moves++;
    if (print)
        printf(" %c%c", 'A' + from, 'A' + to);
    hanoi(n - 1, via, to, from, print);
}

/* Move k (from 1) of the optimal solution; it ends on peg 2 for odd n and on peg 1 for even n. */
static void hanoi_iter_move(unsigned long k, int *from, int *to)
{
    *from = (int)((k & (k - 1)) % 3);
    *to = (int)(((k | (k - 1)) + 1) % 3);
}

static int map_peg(int p, int n)
{
    return n % 2 ? p : p == 0 ? 0 : 3 - p;
}

static int hanoi_agree(int n)
{
    unsigned long total = (1UL << n) - 1;
    for (unsigned long k = 1; k <= total && k <= MAXREC; k++) {
        int f, t;
        hanoi_iter_move(k, &f, &t);
        if (map_peg(f, n) != rec_from[k - 1] || map_peg(t, n) != rec_to[k - 1])
            return 0;
    }
    return 1;
}

static long ack_calls;

static long ackermann(long m, long n)
{
    ack_calls++;
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int mccarthy(int n)
{
    return n > 100 ? n - 10 : mccarthy(mccarthy(n + 11));
}

static long memo[64][64];

/* Partitions of n into parts of size at most k. */
static long partitions(int n, int k)
{
    if (n == 0)
        return 1;
    if (n < 0 || k == 0)
        return 0;
    if (memo[n][k])
        return memo[n][k];
    return memo[n][k] = partitions(n - k, k) + partitions(n, k - 1);
}

static long catalan(int n)
{
    long c[32] = {1};
    for (int i = 1; i <= n; i++) {
        c[i] = 0;
        for (int j = 0; j < i; j++)
            c[i] += c[j] * c[i - 1 - j];
    }
    return c[n];
}

int main(void)
{
    printf("hanoi(4) moves:");
    hanoi(4, 0, 2, 1, 1);
    printf("\n");
    for (int n = 1; n <= 16; n += 3) {
        hanoi_moves = 0;
        hanoi(n, 0, 2, 1, 0);
        printf("hanoi(%2d): %6ld moves, iterative agrees: %d\n", n, hanoi_moves, hanoi_agree(n));
    }
    printf("iterative 3 discs:");
    for (unsigned long k = 1; k < 8; k++) {
        int f, t;
        hanoi_iter_move(k, &f, &t);
        printf(" %d%d", f, t);
    }
    printf("\n");
    for (long m = 0; m <= 3; m++) {
        for (long n = 0; n <= 4; n++) {
            if (m == 3 && n > 3)
                break;
            ack_calls = 0;
            long a = ackermann(m, n);
            printf("A(%ld,%ld)=%ld [%ld calls]  ", m, n, a, ack_calls);
        }
        printf("\n");
    }
    for (int n = 1; n <= 111; n += 22)
        printf("M(%d)=%d ", n, mccarthy(n));
    printf("\n");
    for (int n = 5; n <= 60; n += 11)
        printf("p(%d)=%ld ", n, partitions(n, n));
    printf("\n");
    for (int n = 0; n <= 30; n += 6)
        printf("C%d=%ld ", n, catalan(n));
    printf("\n");
    return 0;
}
