package team

// ContactPhoneAAD is the associated data a team's contact phone is sealed
// with, for writers that store teams in bulk (the data generator).
const ContactPhoneAAD = aadContactPhone
