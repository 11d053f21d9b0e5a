/* A tiny text adventure run from a scripted command list: rooms as a const table of exits,
 * an enum-driven parser for verbs and directions, inventory bit flags, locked doors and a
 * small game state machine (playing, won, dead). */
#include <stdio.h>
#include <string.h>

enum room { HALL, LIBRARY, KITCHEN, CELLAR, GARDEN, VAULT, NROOMS };
enum dir { NORTH, SOUTH, EAST, WEST, DOWN, UP, NDIRS };
enum verb { V_GO, V_TAKE, V_USE, V_LOOK, V_INV, V_UNKNOWN };
enum item { ITEM_LAMP = 1, ITEM_KEY = 2, ITEM_BREAD = 4, ITEM_GOLD = 8 };
enum state { PLAYING, WON, DEAD };

static const char *room_names[NROOMS] = {"hall", "library", "kitchen", "cellar", "garden", "vault"};
static const char *dir_names[NDIRS] = {"north", "south", "east", "west", "down", "up"};
static const signed char exits[NROOMS][NDIRS] = {
    /* N        S       E        W     DOWN    UP */
    {LIBRARY, GARDEN, KITCHEN, -1, -1, -1},
    {-1, HALL, -1, -1, -1, -1},
    {-1, -1, -1, HALL, CELLAR, -1},
    {-1, -1, VAULT, -1, -1, KITCHEN},
    {HALL, -1, -1, -1, -1, -1},
    {-1, -1, -1, CELLAR, -1, -1},
};
static const int room_items[NROOMS] = {0, ITEM_LAMP, ITEM_BREAD, 0, ITEM_KEY, ITEM_GOLD};

struct game {
    enum room where;
    int inventory, taken, moves, vault_open;
    enum state state;
};

static enum verb parse_verb(const char *w)
{
    static const char *names[] = {"go", "take", "use", "look", "inv"};
    for (int i = 0; i < 5; i++)
        if (strcmp(w, names[i]) == 0)
            return (enum verb)i;
    return V_UNKNOWN;
}

static int parse_dir(const char *w)
{
    for (int d = 0; d < NDIRS; d++)
        if (strcmp(w, dir_names[d]) == 0)
            return d;
    return -1;
}

static int count_items(int inv)
{
    int n = 0;
    for (; inv; inv &= inv - 1)
        n++;
    return n;
}

static void look(const struct game *g)
{
    printf("  You are in the %s. Exits:", room_names[g->where]);
    for (int d = 0; d < NDIRS; d++)
        if (exits[g->where][d] >= 0)
            printf(" %s", dir_names[d]);
    int here = room_items[g->where] & ~g->taken;
    if (here)
        printf(". You see item %d", here);
    printf(".\n");
}

static void go(struct game *g, int d)
{
    if (d < 0 || exits[g->where][d] < 0) {
        printf("  You can't go that way.\n");
        return;
    }
    enum room to = (enum room)exits[g->where][d];
    if (to == CELLAR && !(g->inventory & ITEM_LAMP)) {
        printf("  It is pitch dark; you fall down the stairs.\n");
        g->state = DEAD;
        return;
    }
    if (to == VAULT && !g->vault_open) {
        printf("  The vault door is locked.\n");
        return;
    }
    g->where = to;
    g->moves++;
    look(g);
}

static void step(struct game *g, const char *cmd)
{
    char verb[16] = "", arg[16] = "";
    int n = 0;
    while (cmd[n] && cmd[n] != ' ' && n < 15) {
        verb[n] = cmd[n];
        n++;
    }
    verb[n] = '\0';
    if (cmd[n] == ' ') {
        strncpy(arg, cmd + n + 1, sizeof arg - 1);
        arg[sizeof arg - 1] = '\0';
    }
    printf("> %s\n", cmd);
    switch (parse_verb(verb)) {
    case V_GO: go(g, parse_dir(arg)); break;
    case V_TAKE: {
        int here = room_items[g->where] & ~g->taken;
        if (!here) {
            printf("  Nothing to take.\n");
            break;
        }
        g->taken |= here;
        g->inventory |= here;
        printf("  Taken (inventory now %d).\n", g->inventory);
        if (g->inventory & ITEM_GOLD)
            g->state = WON;
        break;
    }
    case V_USE:
        if (strcmp(arg, "key") == 0 && (g->inventory & ITEM_KEY) && g->where == CELLAR) {
            g->vault_open = 1;
            printf("  The vault door swings open.\n");
        } else {
            printf("  Nothing happens.\n");
        }
        break;
    case V_LOOK: look(g); break;
    case V_INV: printf("  Carrying %d (%d items).\n", g->inventory, count_items(g->inventory)); break;
    case V_UNKNOWN: printf("  I don't understand '%s'.\n", verb); break;
    }
}

static int play(const char *const *script, int n)
{
    struct game g = {HALL, 0, 0, 0, 0, PLAYING};
    look(&g);
    for (int i = 0; i < n && g.state == PLAYING; i++)
        step(&g, script[i]);
    static const char *outcome[] = {"still playing", "won", "dead"};
    printf("== %s after %d moves, inventory %d ==\n", outcome[g.state], g.moves, g.inventory);
    return g.state;
}

int main(void)
{
    static const char *const reckless[] = {"go east", "take", "go down"};
    static const char *const careful[] = {"go north", "take", "go south", "go south", "take", "go north", "go east",
                                          "go down", "go east", "use key", "dance", "go east", "inv", "take"};
    play(reckless, 3);
    play(careful, 14);
    return 0;
}
