/* Chess bitboards in uint64_t: precomputed knight and king attack masks with file-wrap
 * guards, rook and bishop rays stopped by blockers, population counts and lowest-set-bit
 * iteration, and boards printed rank by rank. */
#include <stdint.h>
#include <stdio.h>

#define FILE_A 0x0101010101010101ULL
#define FILE_H 0x8080808080808080ULL
#define FILE_AB (FILE_A | (FILE_A << 1))
#define FILE_GH (FILE_H | (FILE_H >> 1))

static uint64_t knight_att[64], king_att[64];

static uint64_t bit(int sq) { return 1ULL << sq; }

static int popcount(uint64_t b)
{
    int n = 0;
    while (b) {
        b &= b - 1;
        n++;
    }
    return n;
}

static int lsb_index(uint64_t b)
{
    int i = 0;
    while (!(b & 1)) {
        b >>= 1;
        i++;
    }
    return i;
}

static void init_leapers(void)
{
    for (int sq = 0; sq < 64; sq++) {
        uint64_t b = bit(sq), k = 0, n = 0;
        k |= (b << 8) | (b >> 8);
        k |= ((b << 1) | (b << 9) | (b >> 7)) & ~FILE_A;
        k |= ((b >> 1) | (b >> 9) | (b << 7)) & ~FILE_H;
        n |= ((b << 17) | (b >> 15)) & ~FILE_A;
        n |= ((b << 15) | (b >> 17)) & ~FILE_H;
        n |= ((b << 10) | (b >> 6)) & ~FILE_AB;
        n |= ((b << 6) | (b >> 10)) & ~FILE_GH;
        king_att[sq] = k;
        knight_att[sq] = n;
    }
}

static uint64_t ray_attacks(int sq, uint64_t blockers, const int (*dirs)[2], int ndirs)
{
    uint64_t att = 0;
    int r0 = sq / 8, f0 = sq % 8;
    for (int d = 0; d < ndirs; d++) {
        int r = r0 + dirs[d][0], f = f0 + dirs[d][1];
        while (r >= 0 && r < 8 && f >= 0 && f < 8) {
            att |= bit(r * 8 + f);
            if (blockers & bit(r * 8 + f))
                break;
            r += dirs[d][0];
            f += dirs[d][1];
        }
    }
    return att;
}

static const int rook_dirs[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
static const int bishop_dirs[4][2] = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

static void print_board(const char *title, uint64_t b, int mark)
{
    printf("%s (%d squares)\n", title, popcount(b));
    for (int r = 7; r >= 0; r--) {
        printf("  %d ", r + 1);
        for (int f = 0; f < 8; f++) {
            int sq = r * 8 + f;
            putchar(sq == mark ? '@' : (b & bit(sq)) ? 'x' : '.');
        }
        putchar('\n');
    }
    printf("    abcdefgh\n");
}

static void square_name(int sq, char *out)
{
    out[0] = (char)('a' + sq % 8);
    out[1] = (char)('1' + sq / 8);
    out[2] = '\0';
}

int main(void)
{
    init_leapers();
    long total_knight = 0, total_king = 0;
    for (int sq = 0; sq < 64; sq++) {
        total_knight += popcount(knight_att[sq]);
        total_king += popcount(king_att[sq]);
    }
    printf("knight moves on empty board %ld, king moves %ld\n", total_knight, total_king);
    print_board("knight from b1", knight_att[1], 1);
    print_board("king from h8", king_att[63], 63);
    uint64_t blockers = bit(3 * 8 + 3) | bit(3 * 8 + 6) | bit(6 * 8 + 1) | bit(1 * 8 + 1) | bit(5 * 8 + 5);
    uint64_t rook = ray_attacks(3 * 8 + 1, blockers, rook_dirs, 4);
    print_board("rook from b4 with blockers", rook, 3 * 8 + 1);
    uint64_t bishop = ray_attacks(3 * 8 + 3, blockers, bishop_dirs, 4);
    print_board("bishop from d4 with blockers", bishop, 3 * 8 + 3);
    uint64_t queen = rook | bishop;
    printf("hit blockers:");
    for (uint64_t b = queen & blockers; b; b &= b - 1) {
        char name[3];
        square_name(lsb_index(b), name);
        printf(" %s", name);
    }
    printf("\nknight tour reach from a1 in 3 moves: ");
    uint64_t reach = bit(0);
    for (int step = 0; step < 3; step++) {
        uint64_t next = 0;
        for (uint64_t b = reach; b; b &= b - 1)
            next |= knight_att[lsb_index(b)];
        reach = next;
    }
    printf("%d squares\n", popcount(reach));
    return 0;
}
