/* A binary min-heap priority queue keyed by (time, id) used as a discrete event scheduler:
 * sift-up and sift-down on an array of structs, events that schedule follow-up events, plus
 * heapsort and a top-k selection with a bounded max-heap. */
#include <stdio.h>

struct event {
    int time, id, kind, aux; /* aux: departure time of a serve event */
};

#define HEAPCAP 64

static struct event heap[HEAPCAP];
static int heap_n;

static int before(const struct event *a, const struct event *b)
{
    return a->time < b->time || (a->time == b->time && a->id < b->id);
}

static void swap_ev(struct event *a, struct event *b)
{
    struct event t = *a;
    *a = *b;
    *b = t;
}

static int push(struct event e)
{
    if (heap_n == HEAPCAP)
        return 0;
    int i = heap_n++;
    heap[i] = e;
    while (i > 0 && before(&heap[i], &heap[(i - 1) / 2])) {
        swap_ev(&heap[i], &heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    return 1;
}

static struct event pop(void)
{
    struct event top = heap[0];
    heap[0] = heap[--heap_n];
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap_n && before(&heap[l], &heap[m]))
            m = l;
        if (r < heap_n && before(&heap[r], &heap[m]))
            m = r;
        if (m == i)
            break;
        swap_ev(&heap[i], &heap[m]);
        i = m;
    }
    return top;
}

static void sift_down_max(int *a, int n, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && a[l] > a[m])
            m = l;
        if (r < n && a[r] > a[m])
            m = r;
        if (m == i)
            return;
        int t = a[i];
        a[i] = a[m];
        a[m] = t;
        i = m;
    }
}

static void heapsort(int *a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down_max(a, n, i);
    for (int end = n - 1; end > 0; end--) {
        int t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down_max(a, end, 0);
    }
}

/* Keeps the k smallest values in a max-heap of size k. */
static int smallest_k(const int *a, int n, int k, int *out)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m < k) {
            out[m++] = a[i];
            if (m == k)
                for (int j = k / 2 - 1; j >= 0; j--)
                    sift_down_max(out, k, j);
        } else if (a[i] < out[0]) {
            out[0] = a[i];
            sift_down_max(out, k, 0);
        }
    }
    heapsort(out, m);
    return m;
}

int main(void)
{
    static const char *kinds[] = {"arrive", "serve", "depart"};
    int next_id = 0;
    for (int t = 0; t < 12; t += 3)
        push((struct event){t + (t % 2), next_id++, 0, 0});
    int served = 0, busy_until = 0;
    while (heap_n > 0) {
        struct event e = pop();
        printf("t=%3d id=%2d %s\n", e.time, e.id, kinds[e.kind]);
        if (e.kind == 0) {
            int start = e.time > busy_until ? e.time : busy_until;
            busy_until = start + 4 + e.id % 3;
            push((struct event){start, e.id, 1, busy_until});
        } else if (e.kind == 1) {
            push((struct event){e.aux, e.id, 2, 0});
            served++;
            if (e.id < 2)
                push((struct event){e.time + 5, next_id++, 0, 0});
        }
    }
    printf("served %d, last departure %d\n", served, busy_until);
    int data[] = {42, 7, 19, 88, -3, 56, 23, 7, 91, 0, 64, 35, 12, -20, 77};
    int out[5];
    int k = smallest_k(data, 15, 5, out);
    printf("smallest %d:", k);
    for (int i = 0; i < k; i++)
        printf(" %d", out[i]);
    heapsort(data, 15);
    printf("\nheapsorted:");
    for (int i = 0; i < 15; i++)
        printf(" %d", data[i]);
    printf("\n");
    return 0;
}
