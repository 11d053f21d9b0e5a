/* A lexer for a small C-like language driven by an explicit state enum: identifiers and
 * keywords, decimal, hex and float literals, string literals with escapes, line and block
 * comments, and one- or two-character operators, with line numbers and token counts. */
#include <stdio.h>
#include <string.h>

enum tok { T_IDENT, T_KEYWORD, T_INT, T_HEX, T_FLOAT, T_STRING, T_OP, T_ERROR, T_COUNT };
enum state { S_START, S_IDENT, S_NUM, S_HEX, S_FRAC, S_STRING, S_STR_ESC, S_LINE_COMMENT, S_BLOCK, S_BLOCK_STAR };

static const char *tok_names[T_COUNT] = {"ident", "keyword", "int", "hex", "float", "string", "op", "error"};
static const char *keywords[] = {"if", "else", "while", "return", "int", "for"};

static int is_letter(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int two_char_op(int a, int b)
{
    static const char *ops[] = {"==", "!=", "<=", ">=", "&&", "||", "++", "--", "+=", "-=", "->", "<<", ">>"};
    for (int i = 0; i < 13; i++)
        if (ops[i][0] == a && ops[i][1] == b)
            return 1;
    return 0;
}

static enum tok classify_word(const char *s, int len)
{
    for (int i = 0; i < 6; i++)
        if ((int)strlen(keywords[i]) == len && strncmp(keywords[i], s, (size_t)len) == 0)
            return T_KEYWORD;
    return T_IDENT;
}

static void emit(enum tok t, const char *s, int len, int line, int *counts)
{
    counts[t]++;
    printf("%2d %-7s %.*s\n", line, tok_names[t], len, s);
}

static void lex(const char *src, int *counts)
{
    enum state st = S_START;
    const char *start = src;
    int line = 1;
    for (const char *p = src;; p++) {
        int c = (unsigned char)*p;
        switch (st) {
        case S_START:
            start = p;
            if (c == '\0')
                return;
            if (c == '\n')
                line++;
            else if (is_letter(c))
                st = S_IDENT;
            else if (c == '0' && (p[1] == 'x' || p[1] == 'X')) {
                st = S_HEX;
                p++;
            } else if (is_digit(c))
                st = S_NUM;
            else if (c == '"')
                st = S_STRING;
            else if (c == '/' && p[1] == '/')
                st = S_LINE_COMMENT;
            else if (c == '/' && p[1] == '*') {
                st = S_BLOCK;
                p++;
            } else if (c == ' ' || c == '\t')
                ;
            else if (strchr("+-*/%=<>!&|;,(){}[]", c)) {
                int len = two_char_op(c, (unsigned char)p[1]) ? 2 : 1;
                emit(T_OP, p, len, line, counts);
                p += len - 1;
            } else
                emit(T_ERROR, p, 1, line, counts);
            break;
        case S_IDENT:
            if (!is_letter(c) && !is_digit(c)) {
                emit(classify_word(start, (int)(p - start)), start, (int)(p - start), line, counts);
                st = S_START;
                p--;
            }
            break;
        case S_NUM:
            if (c == '.')
                st = S_FRAC;
            else if (!is_digit(c)) {
                emit(T_INT, start, (int)(p - start), line, counts);
                st = S_START;
                p--;
            }
            break;
        case S_FRAC:
            if (!is_digit(c)) {
                emit(T_FLOAT, start, (int)(p - start), line, counts);
                st = S_START;
                p--;
            }
            break;
        case S_HEX:
            if (!is_hex(c)) {
                emit(p - start > 2 ? T_HEX : T_ERROR, start, (int)(p - start), line, counts);
                st = S_START;
                p--;
            }
            break;
        case S_STRING:
            if (c == '\\')
                st = S_STR_ESC;
            else if (c == '"') {
                emit(T_STRING, start, (int)(p - start + 1), line, counts);
                st = S_START;
            } else if (c == '\0' || c == '\n') {
                emit(T_ERROR, start, (int)(p - start), line, counts);
                st = S_START;
                p--;
            }
            break;
        case S_STR_ESC:
            if (c == '\0') {
                st = S_START;
                p--;
            } else
                st = S_STRING;
            break;
        case S_LINE_COMMENT:
            if (c == '\n' || c == '\0') {
                st = S_START;
                p--;
            }
            break;
        case S_BLOCK:
        case S_BLOCK_STAR:
            if (c == '\0')
                return;
            if (c == '\n')
                line++;
            if (st == S_BLOCK_STAR && c == '/')
                st = S_START;
            else
                st = c == '*' ? S_BLOCK_STAR : S_BLOCK;
            break;
        }
    }
}

int main(void)
{
    static const char src[] =
        "int main() {\n"
        "  int x = 0x1F + 42; // answer\n"
        "  /* block\n     comment */ float y = 3.25;\n"
        "  if (x >= 10 && y != 0) x += 2; else x--;\n"
        "  return \"a\\\"b\" -> z @ 0x;\n"
        "}\n";
    int counts[T_COUNT] = {0};
    lex(src, counts);
    int total = 0;
    for (int t = 0; t < T_COUNT; t++) {
        printf("%s=%d ", tok_names[t], counts[t]);
        total += counts[t];
    }
    printf("\ntotal %d tokens\n", total);
    return 0;
}
