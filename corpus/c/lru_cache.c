/* A doubly linked list with a sentinel node over a static pool, used as an LRU cache: a small
 * key-indexed table finds nodes, hits move a node to the front, misses evict from the back;
 * also forward/backward traversal and in-place list reversal. */
#include <stdio.h>

#define CAPACITY 5
#define KEYSPACE 32

struct node {
    int key, value;
    struct node *prev, *next;
};

static struct node pool[CAPACITY];
static struct node head; /* sentinel: head.next is most recent, head.prev least recent */
static struct node *index_of[KEYSPACE];
static int used, hits, misses, evictions;

static void list_init(void)
{
    head.next = head.prev = &head;
}

static void unlink_node(struct node *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
}

static void push_front(struct node *n)
{
    n->next = head.next;
    n->prev = &head;
    head.next->prev = n;
    head.next = n;
}

static int cache_get(int key, int *value)
{
    struct node *n = index_of[key];
    if (n && n->key == key) {
        hits++;
        unlink_node(n);
        push_front(n);
        *value = n->value;
        return 1;
    }
    misses++;
    return 0;
}

static void cache_put(int key, int value)
{
    struct node *n = index_of[key];
    if (n && n->key == key) {
        n->value = value;
        unlink_node(n);
        push_front(n);
        return;
    }
    if (used < CAPACITY) {
        n = &pool[used++];
    } else {
        n = head.prev;
        unlink_node(n);
        index_of[n->key] = NULL;
        evictions++;
    }
    n->key = key;
    n->value = value;
    push_front(n);
    index_of[key] = n;
}

static void print_list(const char *label)
{
    printf("%-10s [", label);
    for (struct node *n = head.next; n != &head; n = n->next)
        printf(" %d:%d", n->key, n->value);
    printf(" ] back:");
    for (struct node *n = head.prev; n != &head; n = n->prev)
        printf(" %d", n->key);
    printf("\n");
}

static void reverse_list(void)
{
    struct node *n = &head;
    do {
        struct node *t = n->next;
        n->next = n->prev;
        n->prev = t;
        n = t;
    } while (n != &head);
}

int main(void)
{
    list_init();
    static const int ops[][2] = {
        {1, 10}, {2, 20}, {3, 30}, {1, -1}, {4, 40}, {5, 50}, {2, -1}, {6, 60}, {3, -1}, {7, 70},
        {1, -1}, {5, 55}, {8, 80}, {4, -1}, {18, 180}, {6, -1}, {9, 90}, {5, -1},
    };
    for (int i = 0; i < 18; i++) {
        int key = ops[i][0], v;
        if (ops[i][1] < 0) {
            if (cache_get(key, &v))
                printf("get %2d -> %d\n", key, v);
            else
                printf("get %2d -> miss\n", key);
        } else {
            cache_put(key, ops[i][1]);
        }
        if (i % 6 == 5)
            print_list("state");
    }
    print_list("final");
    reverse_list();
    print_list("reversed");
    printf("hits %d misses %d evictions %d used %d\n", hits, misses, evictions, used);
    return 0;
}
