/* A register-machine bytecode VM: 32-bit instruction words decoded into opcode and register
 * fields, a dense switch dispatch loop with branches, loads and stores into a small memory,
 * and an assembler helper; it runs gcd, a prime sieve and an array sum. */
#include <stdint.h>
#include <stdio.h>

enum opcode {
    OP_HALT, OP_LI, OP_MOV, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_ADDI, OP_LD, OP_ST,
    OP_BEQ, OP_BNE, OP_BLT, OP_JMP, OP_OUT, OP_AND, OP_SHL
};

#define NREGS 8
#define MEMSZ 64

struct machine {
    int32_t r[NREGS];
    int32_t mem[MEMSZ];
    int pc;
    long steps;
};

static uint32_t enc(enum opcode op, int a, int b, int c)
{
    return (uint32_t)op << 24 | (uint32_t)(a & 0xFF) << 16 | (uint32_t)(b & 0xFF) << 8 | (uint32_t)(c & 0xFF);
}

static int sext8(uint32_t v)
{
    int x = (int)(v & 0xFF);
    return x >= 128 ? x - 256 : x;
}

static int run(struct machine *m, const uint32_t *code, int n)
{
    m->pc = 0;
    m->steps = 0;
    while (m->pc >= 0 && m->pc < n) {
        uint32_t w = code[m->pc++];
        int a = (int)((w >> 16) & 0xFF) % NREGS, b = (int)((w >> 8) & 0xFF) % NREGS, c = (int)(w & 0xFF) % NREGS;
        int imm = sext8(w);
        m->steps++;
        switch (w >> 24) {
        case OP_HALT: return 0;
        case OP_LI: m->r[a] = sext8(w >> 8) * 256 + (int)(w & 0xFF); break; /* 16-bit signed immediate */
        case OP_MOV: m->r[a] = m->r[b]; break;
        case OP_ADD: m->r[a] = m->r[b] + m->r[c]; break;
        case OP_SUB: m->r[a] = m->r[b] - m->r[c]; break;
        case OP_MUL: m->r[a] = m->r[b] * m->r[c]; break;
        case OP_DIV: if (m->r[c] == 0) return -2; m->r[a] = m->r[b] / m->r[c]; break;
        case OP_REM: if (m->r[c] == 0) return -2; m->r[a] = m->r[b] % m->r[c]; break;
        case OP_ADDI: m->r[a] = m->r[b] + imm; break;
        case OP_LD: m->r[a] = m->mem[(m->r[b] + imm) & (MEMSZ - 1)]; break;
        case OP_ST: m->mem[(m->r[b] + imm) & (MEMSZ - 1)] = m->r[a]; break;
        case OP_BEQ: if (m->r[a] == m->r[b]) m->pc += imm - 1; break;
        case OP_BNE: if (m->r[a] != m->r[b]) m->pc += imm - 1; break;
        case OP_BLT: if (m->r[a] < m->r[b]) m->pc += imm - 1; break;
        case OP_JMP: m->pc += imm - 1; break;
        case OP_OUT: printf(" %d", m->r[a]); break;
        case OP_AND: m->r[a] = m->r[b] & m->r[c]; break;
        case OP_SHL: m->r[a] = (int32_t)((uint32_t)m->r[b] << (m->r[c] & 31)); break;
        default: return -1;
        }
        if (m->steps > 100000)
            return -3;
    }
    return 0;
}

static void report(const char *name, struct machine *m, int rc)
{
    printf("\n%s: rc=%d steps=%ld r0..r3 = %d %d %d %d\n", name, rc, m->steps, m->r[0], m->r[1], m->r[2], m->r[3]);
}

int main(void)
{
    struct machine m = {{0}, {0}, 0, 0};
    /* gcd(r0, r1) by remainders */
    const uint32_t gcd[] = {
        enc(OP_LI, 0, 4, 0xF8), enc(OP_LI, 1, 0, 0xB4), enc(OP_LI, 7, 0, 0),
        enc(OP_BEQ, 1, 7, 5), enc(OP_REM, 2, 0, 1), enc(OP_MOV, 0, 1, 0), enc(OP_MOV, 1, 2, 0),
        enc(OP_JMP, 0, 0, -4), enc(OP_OUT, 0, 0, 0), enc(OP_HALT, 0, 0, 0),
    };
    printf("gcd:");
    report("gcd(1272,180)", &m, run(&m, gcd, 10));
    /* sieve of primes below 60 in mem[] (mem[i] = 1 means composite) */
    const uint32_t sieve[] = {
        enc(OP_LI, 0, 0, 2), enc(OP_LI, 5, 0, 60), enc(OP_LI, 6, 0, 1),
        enc(OP_BLT, 0, 5, 2), enc(OP_HALT, 0, 0, 0),
        enc(OP_LD, 1, 0, 0), enc(OP_BNE, 1, 7, 8), enc(OP_OUT, 0, 0, 0),
        enc(OP_MUL, 2, 0, 0),
        enc(OP_BLT, 2, 5, 2), enc(OP_JMP, 0, 0, 4),
        enc(OP_ST, 6, 2, 0), enc(OP_ADD, 2, 2, 0), enc(OP_JMP, 0, 0, -4),
        enc(OP_ADDI, 0, 0, 1), enc(OP_JMP, 0, 0, -12),
    };
    struct machine s = {{0}, {0}, 0, 0};
    printf("primes:");
    report("sieve", &s, run(&s, sieve, 16));
    /* sum of squares of mem[0..9] after filling mem[i] = 3*i - 7 */
    const uint32_t sum[] = {
        enc(OP_LI, 0, 0, 0), enc(OP_LI, 1, 0, 10), enc(OP_LI, 2, 0, 0), enc(OP_LI, 3, 0, 3),
        enc(OP_MUL, 4, 0, 3), enc(OP_ADDI, 4, 4, -7), enc(OP_ST, 4, 0, 0), enc(OP_ADDI, 0, 0, 1),
        enc(OP_BLT, 0, 1, -4),
        enc(OP_LI, 0, 0, 0),
        enc(OP_LD, 4, 0, 0), enc(OP_MUL, 4, 4, 4), enc(OP_ADD, 2, 2, 4), enc(OP_ADDI, 0, 0, 1),
        enc(OP_BLT, 0, 1, -4), enc(OP_OUT, 2, 0, 0), enc(OP_HALT, 0, 0, 0),
    };
    struct machine q = {{0}, {0}, 0, 0};
    printf("sum:");
    report("sum of squares", &q, run(&q, sum, 17));
    const uint32_t bad[] = {enc(OP_LI, 0, 0, 5), 0x7F000000u};
    struct machine z = {{0}, {0}, 0, 0};
    printf("bad:");
    report("bad opcode", &z, run(&z, bad, 2));
    return 0;
}
