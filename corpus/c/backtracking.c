/* Backtracking search: n-queens solution counts for n = 1..9 with column and diagonal masks,
 * the first 8-queens board printed, and a small 4x4 Sudoku-style Latin square completion
 * solved recursively. */
#include <stdio.h>

static int queens_cols[12];

static long place(int row, int n, unsigned cols, unsigned d1, unsigned d2, int record)
{
    if (row == n)
        return 1;
    long count = 0;
    for (int c = 0; c < n; c++) {
        unsigned a = 1u << c, b = 1u << (row + c), d = 1u << (row - c + n - 1);
        if ((cols & a) || (d1 & b) || (d2 & d))
            continue;
        if (record)
            queens_cols[row] = c;
        long sub = place(row + 1, n, cols | a, d1 | b, d2 | d, record);
        if (record && sub > 0)
            return sub;
        count += sub;
    }
    return count;
}

static void print_board(int n)
{
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++)
            putchar(queens_cols[r] == c ? 'Q' : '.');
        putchar('\n');
    }
}

#define S 4

static int ok(int g[S][S], int r, int c, int v)
{
    for (int i = 0; i < S; i++)
        if (g[r][i] == v || g[i][c] == v)
            return 0;
    int br = r / 2 * 2, bc = c / 2 * 2;
    for (int i = br; i < br + 2; i++)
        for (int j = bc; j < bc + 2; j++)
            if (g[i][j] == v)
                return 0;
    return 1;
}

static int solve(int g[S][S], int pos, int *tries)
{
    if (pos == S * S)
        return 1;
    int r = pos / S, c = pos % S;
    if (g[r][c])
        return solve(g, pos + 1, tries);
    for (int v = 1; v <= S; v++) {
        ++*tries;
        if (ok(g, r, c, v)) {
            g[r][c] = v;
            if (solve(g, pos + 1, tries))
                return 1;
            g[r][c] = 0;
        }
    }
    return 0;
}

static int count_solutions(int g[S][S], int pos)
{
    if (pos == S * S)
        return 1;
    int r = pos / S, c = pos % S;
    if (g[r][c])
        return count_solutions(g, pos + 1);
    int n = 0;
    for (int v = 1; v <= S; v++) {
        if (ok(g, r, c, v)) {
            g[r][c] = v;
            n += count_solutions(g, pos + 1);
            g[r][c] = 0;
        }
    }
    return n;
}

int main(void)
{
    for (int n = 1; n <= 9; n++)
        printf("queens(%d) = %ld\n", n, place(0, n, 0, 0, 0, 0));
    place(0, 8, 0, 0, 0, 1);
    print_board(8);
    int g[S][S] = {{1, 0, 0, 0}, {0, 0, 3, 0}, {0, 4, 0, 0}, {0, 0, 0, 2}};
    int empty[S][S] = {{0}};
    printf("solutions of puzzle: %d, of empty grid: %d\n", count_solutions(g, 0), count_solutions(empty, 0));
    int tries = 0;
    if (solve(g, 0, &tries)) {
        printf("solved after %d tries:\n", tries);
        for (int r = 0; r < S; r++)
            printf("%d %d | %d %d\n", g[r][0], g[r][1], g[r][2], g[r][3]);
    }
    return 0;
}
