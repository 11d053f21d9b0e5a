/* A command shell driven by function pointer tables: a name -> handler table searched with
 * bsearch, handlers sharing one signature over a small key-value store, an enum of result
 * codes mapped to messages, and a per-command counter array indexed through the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum result { OK, ERR_ARGS, ERR_NOTFOUND, ERR_FULL, ERR_UNKNOWN, NRESULTS };

static const char *result_text[NRESULTS] = {"ok", "bad arguments", "not found", "store full", "unknown command"};

#define SLOTS 8

struct store {
    char keys[SLOTS][12];
    long vals[SLOTS];
    int used;
};

typedef enum result (*handler)(struct store *, int argc, char **argv);

static int slot_of(const struct store *s, const char *k)
{
    for (int i = 0; i < s->used; i++)
        if (strcmp(s->keys[i], k) == 0)
            return i;
    return -1;
}

static enum result cmd_set(struct store *s, int argc, char **argv)
{
    if (argc != 3 || strlen(argv[1]) >= 12)
        return ERR_ARGS;
    int i = slot_of(s, argv[1]);
    if (i < 0) {
        if (s->used == SLOTS)
            return ERR_FULL;
        i = s->used++;
        strcpy(s->keys[i], argv[1]);
    }
    s->vals[i] = strtol(argv[2], NULL, 10);
    return OK;
}

static enum result cmd_get(struct store *s, int argc, char **argv)
{
    if (argc != 2)
        return ERR_ARGS;
    int i = slot_of(s, argv[1]);
    if (i < 0)
        return ERR_NOTFOUND;
    printf("  %s = %ld\n", argv[1], s->vals[i]);
    return OK;
}

static enum result cmd_add(struct store *s, int argc, char **argv)
{
    if (argc != 3)
        return ERR_ARGS;
    int a = slot_of(s, argv[1]), b = slot_of(s, argv[2]);
    if (a < 0 || b < 0)
        return ERR_NOTFOUND;
    s->vals[a] += s->vals[b];
    return OK;
}

static enum result cmd_del(struct store *s, int argc, char **argv)
{
    if (argc != 2)
        return ERR_ARGS;
    int i = slot_of(s, argv[1]);
    if (i < 0)
        return ERR_NOTFOUND;
    s->used--;
    memmove(s->keys[i], s->keys[i + 1], sizeof s->keys[0] * (size_t)(s->used - i));
    memmove(&s->vals[i], &s->vals[i + 1], sizeof s->vals[0] * (size_t)(s->used - i));
    return OK;
}

static enum result cmd_list(struct store *s, int argc, char **argv)
{
    (void)argv;
    if (argc != 1)
        return ERR_ARGS;
    for (int i = 0; i < s->used; i++)
        printf("  [%d] %s = %ld\n", i, s->keys[i], s->vals[i]);
    return OK;
}

struct command {
    const char *name;
    handler fn;
};

/* Sorted by name for bsearch. */
static const struct command commands[] = {
    {"add", cmd_add}, {"del", cmd_del}, {"get", cmd_get}, {"list", cmd_list}, {"set", cmd_set},
};
#define NCOMMANDS ((int)(sizeof commands / sizeof commands[0]))
static int usage[NCOMMANDS];

static int cmp_name(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const struct command *)elem)->name);
}

static enum result execute(struct store *s, const char *line)
{
    char buf[64];
    char *argv[8];
    int argc = 0;
    strncpy(buf, line, sizeof buf - 1);
    buf[sizeof buf - 1] = '\0';
    for (char *p = buf; *p && argc < 8;) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    if (argc == 0)
        return ERR_ARGS;
    const struct command *c = bsearch(argv[0], commands, NCOMMANDS, sizeof commands[0], cmp_name);
    if (!c)
        return ERR_UNKNOWN;
    usage[c - commands]++;
    return c->fn(s, argc, argv);
}

int main(void)
{
    static const char *script[] = {
        "set apples 12", "set pears 7", "get apples", "add apples pears", "get apples", "get plums",
        "frobnicate now", "set", "set k1 1", "set k2 2", "set k3 3", "set k4 4", "set k5 5", "set k6 6",
        "set k7 7", "del pears", "del k3", "set k7 70", "list", "  list  ", "add k1 k9",
    };
    struct store s;
    memset(&s, 0, sizeof s);
    int counts[NRESULTS] = {0};
    for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
        enum result r = execute(&s, script[i]);
        counts[r]++;
        printf("%-18s -> %s\n", script[i], result_text[r]);
    }
    for (int i = 0; i < NCOMMANDS; i++)
        printf("%s used %d times\n", commands[i].name, usage[i]);
    for (int r = 0; r < NRESULTS; r++)
        printf("%-16s %d\n", result_text[r], counts[r]);
    return 0;
}
