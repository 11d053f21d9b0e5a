/* A 26-way trie over a static node pool: insertion with word counts, exact and prefix
 * lookups, autocompletion in lexicographic order by recursive traversal into a shared buffer,
 * the longest common prefix of all words, and deletion that prunes empty branches. */
#include <stdio.h>
#include <string.h>

#define MAXNODES 256

struct tnode {
    short child[26];
    short words_below;
    unsigned char terminal;
};

static struct tnode nodes[MAXNODES];
static int nnodes = 1; /* node 0 is the root */

static int new_node(void)
{
    if (nnodes >= MAXNODES)
        return -1;
    memset(&nodes[nnodes], 0, sizeof nodes[0]);
    return nnodes++;
}

static int insert(const char *w)
{
    int cur = 0;
    for (const char *p = w; *p; p++) {
        int c = *p - 'a';
        if (c < 0 || c >= 26)
            return 0;
        if (!nodes[cur].child[c]) {
            int n = new_node();
            if (n < 0)
                return 0;
            nodes[cur].child[c] = (short)n;
        }
        cur = nodes[cur].child[c];
    }
    if (nodes[cur].terminal)
        return 0;
    nodes[cur].terminal = 1;
    cur = 0;
    nodes[0].words_below++;
    for (const char *p = w; *p; p++) {
        cur = nodes[cur].child[*p - 'a'];
        nodes[cur].words_below++;
    }
    return 1;
}

static int find(const char *s)
{
    int cur = 0;
    for (; *s && cur >= 0; s++) {
        int c = *s - 'a';
        cur = (c >= 0 && c < 26 && nodes[cur].child[c]) ? nodes[cur].child[c] : -1;
    }
    return cur;
}

static int complete(int n, char *buf, int depth, int limit)
{
    int printed = 0;
    if (nodes[n].terminal) {
        buf[depth] = '\0';
        printf(" %s", buf);
        printed++;
    }
    for (int c = 0; c < 26 && printed < limit; c++) {
        if (nodes[n].child[c]) {
            buf[depth] = (char)('a' + c);
            printed += complete(nodes[n].child[c], buf, depth + 1, limit - printed);
        }
    }
    return printed;
}

static int longest_common_prefix(char *out)
{
    int cur = 0, len = 0;
    for (;;) {
        if (nodes[cur].terminal)
            break;
        int only = -1, count = 0;
        for (int c = 0; c < 26; c++)
            if (nodes[cur].child[c]) {
                only = c;
                count++;
            }
        if (count != 1)
            break;
        out[len++] = (char)('a' + only);
        cur = nodes[cur].child[only];
    }
    out[len] = '\0';
    return len;
}

static int erase(const char *w)
{
    int path[64], n = 0, cur = 0;
    path[n++] = 0;
    for (const char *p = w; *p; p++) {
        cur = nodes[cur].child[*p - 'a'];
        if (!cur)
            return 0;
        path[n++] = cur;
    }
    if (!nodes[cur].terminal)
        return 0;
    nodes[cur].terminal = 0;
    for (int i = 0; i < n; i++)
        nodes[path[i]].words_below--;
    for (int i = n - 1; i > 0; i--)
        if (nodes[path[i]].words_below == 0)
            nodes[path[i - 1]].child[w[i - 1] - 'a'] = 0;
    return 1;
}

int main(void)
{
    static const char *words[] = {"car", "card", "care", "careful", "cart", "cat", "catalog", "dog", "dot",
                                  "dote", "do", "card", "zebra", "carbon"};
    int added = 0;
    for (int i = 0; i < 14; i++)
        added += insert(words[i]);
    printf("inserted %d words, %d nodes\n", added, nnodes);
    static const char *prefixes[] = {"car", "cat", "do", "d", "x", "carefully", ""};
    for (int i = 0; i < 7; i++) {
        int n = find(prefixes[i]);
        char buf[32];
        printf("prefix '%s': %d words, exact %d, first 4:", prefixes[i], n >= 0 ? nodes[n].words_below : 0,
               n >= 0 && nodes[n].terminal);
        if (n >= 0) {
            size_t len = strlen(prefixes[i]);
            memcpy(buf, prefixes[i], len);
            complete(n, buf, (int)len, 4);
        }
        printf("\n");
    }
    char lcp[32];
    int lcp_len = longest_common_prefix(lcp);
    printf("lcp of all: '%s' (%d)\n", lcp, lcp_len);
    erase("zebra");
    erase("dog");
    erase("do");
    erase("dot");
    erase("dote");
    lcp_len = longest_common_prefix(lcp);
    printf("after erasing z/d words: lcp '%s' (%d), total %d\n", lcp, lcp_len, nodes[0].words_below);
    int missing = erase("cab");
    int prefix_only = erase("ca");
    printf("erase missing: %d, erase prefix-only 'ca': %d\n", missing, prefix_only);
    char buf[32];
    printf("all:");
    complete(0, buf, 0, 100);
    printf("\n");
    return 0;
}
