/* C-style string escapes: an unescaper with a sparse switch over the character after the
 * backslash (simple escapes, octal, hex and unknown ones), the inverse escaper, and a
 * character classifier switch with grouped case labels. */
#include <stdio.h>
#include <string.h>

static int hexval(int c)
{
    switch (c) {
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        return c - '0';
    case 'a': case 'b': case 'c': case 'd': case 'e': case 'f':
        return c - 'a' + 10;
    case 'A': case 'B': case 'C': case 'D': case 'E': case 'F':
        return c - 'A' + 10;
    default:
        return -1;
    }
}

/* Returns the number of bytes written, or -1 on a malformed escape. */
static int unescape(const char *in, unsigned char *out, int cap)
{
    int n = 0;
    while (*in && n < cap) {
        unsigned char c = (unsigned char)*in++;
        if (c != '\\') {
            out[n++] = c;
            continue;
        }
        c = (unsigned char)*in++;
        switch (c) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'a': out[n++] = '\a'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'v': out[n++] = '\v'; break;
        case '\\': case '\'': case '"': case '?': out[n++] = c; break;
        case 'x': {
            int v = 0, digits = 0, h;
            while ((h = hexval((unsigned char)*in)) >= 0 && digits < 2) {
                v = v * 16 + h;
                in++;
                digits++;
            }
            if (digits == 0)
                return -1;
            out[n++] = (unsigned char)v;
            break;
        }
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            int v = c - '0', digits = 1;
            while (digits < 3 && *in >= '0' && *in <= '7') {
                v = v * 8 + (*in++ - '0');
                digits++;
            }
            out[n++] = (unsigned char)(v & 0xFF);
            break;
        }
        case '\0':
            return -1;
        default:
            out[n++] = c; /* unknown escape: keep the character */
            break;
        }
    }
    return n;
}

static int escape(const unsigned char *in, int n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < n; i++) {
        unsigned char c = in[i];
        switch (c) {
        case '\n': out[o++] = '\\'; out[o++] = 'n'; break;
        case '\t': out[o++] = '\\'; out[o++] = 't'; break;
        case '\r': out[o++] = '\\'; out[o++] = 'r'; break;
        case '\\': out[o++] = '\\'; out[o++] = '\\'; break;
        case '"': out[o++] = '\\'; out[o++] = '"'; break;
        default:
            if (c < 32 || c >= 127) {
                out[o++] = '\\';
                out[o++] = 'x';
                out[o++] = hex[c >> 4];
                out[o++] = hex[c & 15];
            } else {
                out[o++] = (char)c;
            }
        }
    }
    out[o] = '\0';
    return o;
}

static const char *classify(int c)
{
    switch (c) {
    case ' ': case '\t': case '\n': case '\r': case '\v': case '\f': return "space";
    case '(': case ')': case '[': case ']': case '{': case '}': return "bracket";
    case '+': case '-': case '*': case '/': case '%': case '=': case '<': case '>': return "operator";
    case '.': case ',': case ';': case ':': case '!': case '?': return "punct";
    case '"': case '\'': case '`': return "quote";
    case 0: return "nul";
    case 127: return "del";
    default:
        if (c >= '0' && c <= '9') return "digit";
        if ((c | 32) >= 'a' && (c | 32) <= 'z') return "letter";
        return c < 32 ? "control" : c > 127 ? "high" : "other";
    }
}

int main(void)
{
    static const char *inputs[] = {
        "plain text", "tab\\there\\nnewline", "quote \\\"x\\\" and \\\\", "hex \\x41\\x42\\x7a!",
        "octal \\101\\60\\0777", "bell\\a unknown\\q", "bad \\x", "\\xff\\x80\\1",
    };
    for (int i = 0; i < 8; i++) {
        unsigned char buf[64];
        char back[256];
        int n = unescape(inputs[i], buf, (int)sizeof buf);
        if (n < 0) {
            printf("%-26s -> error\n", inputs[i]);
            continue;
        }
        escape(buf, n, back);
        printf("%-26s -> %2d bytes -> \"%s\"\n", inputs[i], n, back);
    }
    static const unsigned char probe[] = {'a', 'Z', '7', ' ', '(', '%', ';', '"', 0, 127, 200, 1, '@', '_', '}', '\n'};
    int counts[12] = {0};
    static const char *kinds[] = {"space", "bracket", "operator", "punct", "quote", "nul", "del", "digit", "letter", "control", "high", "other"};
    for (size_t i = 0; i < sizeof probe; i++) {
        const char *k = classify(probe[i]);
        for (int j = 0; j < 12; j++)
            if (strcmp(k, kinds[j]) == 0)
                counts[j]++;
        printf("%3d:%s ", probe[i], k);
    }
    printf("\n");
    for (int j = 0; j < 12; j++)
        printf("%s=%d%c", kinds[j], counts[j], j == 11 ? '\n' : ' ');
    return 0;
}
