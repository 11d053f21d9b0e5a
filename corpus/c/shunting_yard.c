/* Array-based stack and circular queue: bracket balance checking, Dijkstra's shunting-yard
 * conversion of infix expressions to postfix (with precedence and right-associative ^),
 * postfix evaluation on an integer stack, and a queue-driven elimination game. */
#include <stdio.h>

#define STK 64

struct stack {
    int top;
    long v[STK];
};

static void s_push(struct stack *s, long v) { if (s->top < STK) s->v[s->top++] = v; }
static long s_pop(struct stack *s) { return s->top > 0 ? s->v[--s->top] : 0; }
static long s_peek(const struct stack *s) { return s->top > 0 ? s->v[s->top - 1] : 0; }

static int balanced(const char *s)
{
    struct stack st = {0, {0}};
    for (; *s; s++) {
        char c = *s;
        if (c == '(' || c == '[' || c == '{') {
            s_push(&st, c);
        } else if (c == ')' || c == ']' || c == '}') {
            char want = c == ')' ? '(' : c == ']' ? '[' : '{';
            if (st.top == 0 || s_pop(&st) != want)
                return 0;
        }
    }
    return st.top == 0;
}

static int prec(char op)
{
    switch (op) {
    case '^': return 3;
    case '*': case '/': case '%': return 2;
    case '+': case '-': return 1;
    default: return 0;
    }
}

static int to_postfix(const char *in, char *out)
{
    struct stack ops = {0, {0}};
    int o = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (c >= '0' && c <= '9') {
            while (*p >= '0' && *p <= '9')
                out[o++] = *p++;
            out[o++] = ' ';
            p--;
        } else if (c == '(') {
            s_push(&ops, c);
        } else if (c == ')') {
            while (ops.top > 0 && s_peek(&ops) != '(') {
                out[o++] = (char)s_pop(&ops);
                out[o++] = ' ';
            }
            if (ops.top == 0)
                return -1;
            s_pop(&ops);
        } else if (prec(c)) {
            while (ops.top > 0 && s_peek(&ops) != '(' &&
                   (prec((char)s_peek(&ops)) > prec(c) || (prec((char)s_peek(&ops)) == prec(c) && c != '^'))) {
                out[o++] = (char)s_pop(&ops);
                out[o++] = ' ';
            }
            s_push(&ops, c);
        }
    }
    while (ops.top > 0) {
        char op = (char)s_pop(&ops);
        if (op == '(')
            return -1;
        out[o++] = op;
        out[o++] = ' ';
    }
    out[o > 0 ? o - 1 : 0] = '\0';
    return o;
}

static long ipow(long b, long e)
{
    long r = 1;
    while (e-- > 0)
        r *= b;
    return r;
}

static int eval_postfix(const char *pf, long *result)
{
    struct stack st = {0, {0}};
    for (const char *p = pf; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            long v = 0;
            while (*p >= '0' && *p <= '9')
                v = v * 10 + (*p++ - '0');
            s_push(&st, v);
            p--;
        } else if (prec(*p)) {
            if (st.top < 2)
                return 0;
            long b = s_pop(&st), a = s_pop(&st);
            switch (*p) {
            case '+': s_push(&st, a + b); break;
            case '-': s_push(&st, a - b); break;
            case '*': s_push(&st, a * b); break;
            case '/': if (b == 0) return 0; s_push(&st, a / b); break;
            case '%': if (b == 0) return 0; s_push(&st, a % b); break;
            case '^': s_push(&st, ipow(a, b)); break;
            }
        }
    }
    *result = s_pop(&st);
    return st.top == 0;
}

static int josephus(int n, int k, int *order)
{
    int q[64], head = 0, count = n, o = 0;
    for (int i = 0; i < n; i++)
        q[i] = i + 1;
    while (count > 1) {
        for (int i = 1; i < k; i++) {
            q[(head + count) % 64] = q[head];
            head = (head + 1) % 64;
        }
        order[o++] = q[head];
        head = (head + 1) % 64;
        count--;
    }
    return q[head];
}

int main(void)
{
    static const char *br[] = {"([]{()})", "([)]", "((", "", "{[()()]}[]", "}"};
    for (int i = 0; i < 6; i++)
        printf("balanced(\"%s\") = %d\n", br[i], balanced(br[i]));
    static const char *exprs[] = {"3 + 4 * 2", "(1 + 2) * (3 + 4) - 5", "2 ^ 3 ^ 2", "100 / 7 % 4 + 2 * (9 - 3)",
                                  "((15 / (7 - (1 + 1))) * 3) - (2 + (1 + 1))", "(1 + 2", "8 / (4 - 4)"};
    for (int i = 0; i < 7; i++) {
        char pf[128];
        long r;
        if (to_postfix(exprs[i], pf) < 0) {
            printf("%-44s -> mismatched parentheses\n", exprs[i]);
            continue;
        }
        if (eval_postfix(pf, &r))
            printf("%-44s -> %-28s = %ld\n", exprs[i], pf, r);
        else
            printf("%-44s -> %-28s = error\n", exprs[i], pf);
    }
    int order[64];
    int survivor = josephus(10, 3, order);
    printf("josephus(10,3) order:");
    for (int i = 0; i < 9; i++)
        printf(" %d", order[i]);
    printf(", survivor %d\n", survivor);
    return 0;
}
