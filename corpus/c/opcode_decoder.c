/* A byte-code disassembler for an invented variable-length ISA: a sparse switch over opcode
 * bytes chooses the operand format, little-endian immediates are assembled from bytes, and a
 * second sparse switch maps condition codes to mnemonics. */
#include <stdint.h>
#include <stdio.h>

enum fmt { F_NONE, F_REG, F_REG_REG, F_REG_IMM8, F_REG_IMM32, F_REL8, F_BAD };

static const char *cond_name(int cc)
{
    switch (cc) {
    case 0x0: return "eq";
    case 0x1: return "ne";
    case 0x4: return "lt";
    case 0x5: return "ge";
    case 0x8: return "ltu";
    case 0x9: return "geu";
    case 0xE: return "al";
    default: return "??";
    }
}

static enum fmt decode_op(uint8_t op, const char **name)
{
    switch (op) {
    case 0x00: *name = "nop"; return F_NONE;
    case 0x01: *name = "ret"; return F_NONE;
    case 0x10: *name = "push"; return F_REG;
    case 0x11: *name = "pop"; return F_REG;
    case 0x20: *name = "mov"; return F_REG_REG;
    case 0x21: *name = "add"; return F_REG_REG;
    case 0x22: *name = "sub"; return F_REG_REG;
    case 0x28: *name = "cmp"; return F_REG_REG;
    case 0x40: *name = "movi"; return F_REG_IMM8;
    case 0x41: *name = "addi"; return F_REG_IMM8;
    case 0x48: *name = "ldi"; return F_REG_IMM32;
    case 0x80: *name = "jmp"; return F_REL8;
    case 0x90: case 0x91: case 0x94: case 0x95: case 0x98: case 0x99: case 0x9E:
        *name = "b"; return F_REL8;
    case 0xF4: *name = "hlt"; return F_NONE;
    default: *name = "(bad)"; return F_BAD;
    }
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int length_of(enum fmt f)
{
    switch (f) {
    case F_NONE: case F_BAD: return 1;
    case F_REG: case F_REG_REG: case F_REL8: return 2;
    case F_REG_IMM8: return 3;
    case F_REG_IMM32: return 6;
    }
    return 1;
}

static int disasm_one(const uint8_t *code, int pc, int n)
{
    const char *name;
    uint8_t op = code[pc];
    enum fmt f = decode_op(op, &name);
    int len = length_of(f);
    if (pc + len > n) {
        printf("%04x: %02x        (truncated)\n", pc, op);
        return n - pc;
    }
    printf("%04x: ", pc);
    for (int i = 0; i < 6; i++)
        printf(i < len ? "%02x" : "  ", code[pc + (i < len ? i : 0)]);
    printf("  ");
    const uint8_t *a = code + pc + 1;
    switch (f) {
    case F_NONE: printf("%s", name); break;
    case F_BAD: printf("%s 0x%02x", name, op); break;
    case F_REG: printf("%s r%d", name, a[0] & 15); break;
    case F_REG_REG: printf("%s r%d, r%d", name, a[0] >> 4, a[0] & 15); break;
    case F_REG_IMM8: printf("%s r%d, %d", name, a[0] & 15, a[1] >= 128 ? a[1] - 256 : a[1]); break;
    case F_REG_IMM32: printf("%s r%d, 0x%08x", name, a[0] & 15, (unsigned)le32(a + 1)); break;
    case F_REL8: {
        int rel = a[0] >= 128 ? a[0] - 256 : a[0];
        if (op == 0x80)
            printf("%s 0x%04x", name, pc + len + rel);
        else
            printf("%s.%s 0x%04x", name, cond_name(op & 15), pc + len + rel);
        break;
    }
    }
    printf("\n");
    return len;
}

int main(void)
{
    static const uint8_t code[] = {
        0x10, 0x0e, 0x40, 0x01, 0x00, 0x40, 0x02, 0x0a, 0x48, 0x03, 0xef, 0xbe, 0xad, 0xde,
        0x21, 0x12, 0x41, 0x02, 0xff, 0x28, 0x20, 0x91, 0xf9, 0x95, 0x02, 0x00, 0x00, 0x33,
        0x22, 0x31, 0x9e, 0x00, 0x80, 0xe6, 0x11, 0x0e, 0x01, 0xf4, 0x48, 0x01,
    };
    int n = (int)sizeof code, pc = 0, count = 0, bad = 0;
    while (pc < n) {
        const char *name;
        if (decode_op(code[pc], &name) == F_BAD)
            bad++;
        pc += disasm_one(code, pc, n);
        count++;
    }
    printf("%d instructions, %d bad, %d bytes\n", count, bad, n);
    int histogram[7] = {0};
    for (int op = 0; op < 256; op++) {
        const char *name;
        histogram[decode_op((uint8_t)op, &name)]++;
    }
    printf("formats: none=%d reg=%d rr=%d ri8=%d ri32=%d rel=%d bad=%d\n", histogram[0], histogram[1], histogram[2],
           histogram[3], histogram[4], histogram[5], histogram[6]);
    return 0;
}
