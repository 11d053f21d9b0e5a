/* A gradebook: student structs with score arrays, weighted averages in doubles, letter grades
 * from a threshold table, ranking with qsort on a double key and a name tie-break, and a
 * per-assignment summary table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NSCORES 5

struct student {
    int id;
    char name[16];
    int scores[NSCORES];
    double avg;
    char grade;
};

static const double weights[NSCORES] = {0.10, 0.15, 0.15, 0.25, 0.35};

static struct student roster[] = {
    {101, "Alvarez", {88, 92, 79, 85, 90}, 0, 0}, {102, "Baker", {72, 65, 80, 70, 68}, 0, 0},
    {103, "Chen", {95, 98, 100, 93, 97}, 0, 0},   {104, "Dubois", {60, 55, 70, 58, 62}, 0, 0},
    {105, "Evans", {85, 85, 85, 85, 85}, 0, 0},   {106, "Fischer", {100, 90, 80, 70, 60}, 0, 0},
    {107, "Garcia", {45, 60, 50, 40, 55}, 0, 0},  {108, "Hughes", {85, 85, 85, 85, 85}, 0, 0},
};
#define NSTUDENTS ((int)(sizeof roster / sizeof roster[0]))

static double weighted_average(const int *s)
{
    double total = 0.0;
    for (int i = 0; i < NSCORES; i++)
        total += weights[i] * s[i];
    return total;
}

static char letter(double avg)
{
    static const struct {
        double min;
        char grade;
    } table[] = {{90.0, 'A'}, {80.0, 'B'}, {70.0, 'C'}, {60.0, 'D'}};
    for (int i = 0; i < 4; i++)
        if (avg >= table[i].min)
            return table[i].grade;
    return 'F';
}

static int by_rank(const void *a, const void *b)
{
    const struct student *x = a, *y = b;
    if (x->avg > y->avg + 1e-9)
        return -1;
    if (x->avg < y->avg - 1e-9)
        return 1;
    return strcmp(x->name, y->name);
}

static void assignment_stats(int k, int *lo, int *hi, double *mean)
{
    int sum = 0;
    *lo = 101;
    *hi = -1;
    for (int i = 0; i < NSTUDENTS; i++) {
        int s = roster[i].scores[k];
        sum += s;
        if (s < *lo)
            *lo = s;
        if (s > *hi)
            *hi = s;
    }
    *mean = (double)sum / NSTUDENTS;
}

static void print_row(int rank, const struct student *s)
{
    printf("%2d  %3d %-8s", rank, s->id, s->name);
    for (int i = 0; i < NSCORES; i++)
        printf(" %3d", s->scores[i]);
    printf("  %6.2f  %c\n", s->avg, s->grade);
}

int main(void)
{
    int dist[5] = {0};
    for (int i = 0; i < NSTUDENTS; i++) {
        roster[i].avg = weighted_average(roster[i].scores);
        roster[i].grade = letter(roster[i].avg);
        dist[roster[i].grade == 'F' ? 4 : roster[i].grade - 'A']++;
    }
    qsort(roster, NSTUDENTS, sizeof roster[0], by_rank);
    printf("rk   id name       a1  a2  a3  a4  a5     avg  g\n");
    for (int i = 0; i < NSTUDENTS; i++)
        print_row(i + 1, &roster[i]);
    for (int k = 0; k < NSCORES; k++) {
        int lo, hi;
        double mean;
        assignment_stats(k, &lo, &hi, &mean);
        printf("a%d: weight %4.0f%% min %3d max %3d mean %6.2f\n", k + 1, weights[k] * 100, lo, hi, mean);
    }
    printf("grades: A=%d B=%d C=%d D=%d F=%d\n", dist[0], dist[1], dist[2], dist[3], dist[4]);
    return 0;
}
